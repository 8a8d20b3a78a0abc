package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
// Built from the ApiMetadata, not the provider id: an id lookup loads every provider on the
// class path, including s3proxy's Azure one whose SDK is excluded.
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.FilesystemApiMetadata;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real S3 endpoint (s3proxy + jclouds filesystem store) on a free loopback port. */
public final class S3TestServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private static final String REGION = "us-east-1";

  private final Path root;
  private final BlobStoreContext blobs;
  private S3Proxy proxy;
  private String accessKey = "test-access-" + UUID.randomUUID().toString().substring(0, 8);
  private String secretKey = UUID.randomUUID().toString();
  private final AtomicInteger buckets = new AtomicInteger();

  private S3TestServer() throws Exception {
    root = Files.createTempDirectory("s3-test-");
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", root.toString());
    blobs =
        ContextBuilder.newBuilder(new FilesystemApiMetadata())
            .overrides(properties)
            .build(BlobStoreContext.class);
    proxy = startProxy(0);
    RealParts.announce("s3", "s3proxy (jclouds filesystem) at " + endpoint());
  }

  private S3Proxy startProxy(int port) throws Exception {
    S3Proxy started =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .build();
    started.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!AbstractLifeCycle.STARTED.equals(started.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + started.getState());
      }
      Thread.sleep(10);
    }
    return started;
  }

  /**
   * A server of the caller's own, not the one {@link RealS3} shares across test classes: for tests
   * that rotate its credentials. Close it when done.
   */
  public static S3TestServer startPrivate() {
    return start();
  }

  /**
   * An access key rotation: the server restarts on the same port, same buckets, and accepts only a
   * new key pair from then on (s3proxy knows one identity). Returns {@code bucket} with the new
   * keys.
   */
  public synchronized S3Bucket rotateCredentials(S3Bucket bucket) throws Exception {
    int port = proxy.getPort();
    proxy.stop();
    accessKey = "test-access-" + UUID.randomUUID().toString().substring(0, 8);
    secretKey = UUID.randomUUID().toString();
    proxy = startProxy(port);
    return new S3Bucket(
        bucket.endpoint(),
        bucket.hostPort(),
        bucket.region(),
        bucket.bucket(),
        accessKey,
        secretKey);
  }

  static S3TestServer start() {
    try {
      return new S3TestServer();
    } catch (Exception e) {
      throw RealParts.missing("S3 server (s3proxy): " + e, "Check the test-support dependencies.");
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** Makes a fresh, empty bucket. */
  public S3Bucket newBucket() {
    String name = "test-bucket-" + buckets.incrementAndGet();
    blobs.getBlobStore().createContainerInLocation(null, name);
    return new S3Bucket(
        endpoint(), "127.0.0.1:" + proxy.getPort(), REGION, name, accessKey, secretKey);
  }

  /**
   * Every object key in {@code bucket}, read from the store itself (not through S3), for tests that
   * check which blobs a repository has.
   */
  public java.util.SortedSet<String> keys(S3Bucket bucket) {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>();
    org.jclouds.blobstore.options.ListContainerOptions options =
        org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive();
    while (true) {
      var page = blobs.getBlobStore().list(bucket.bucket(), options);
      for (var metadata : page) {
        if (metadata.getType() == org.jclouds.blobstore.domain.StorageType.BLOB) {
          keys.add(metadata.getName());
        }
      }
      if (page.getNextMarker() == null) {
        return keys;
      }
      options = options.afterMarker(page.getNextMarker());
    }
  }

  /** The bytes of one object, read from the store itself. */
  public byte[] object(S3Bucket bucket, String key) throws IOException {
    var blob = blobs.getBlobStore().getBlob(bucket.bucket(), key);
    if (blob == null) {
      throw new IOException("no object " + key + " in " + bucket.bucket());
    }
    try (var in = blob.getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    blobs.close();
    try {
      TempFolders.deleteRecursively(root);
    } catch (IOException ignored) {
      // best effort: a temp folder left behind is harmless
    }
  }
}
