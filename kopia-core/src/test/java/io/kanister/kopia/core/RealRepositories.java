package io.kanister.kopia.core;

import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.S3Bucket;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds kopia-core objects on the real parts the test extensions hand out. */
public final class RealRepositories {
  public static final SecretValue PASSWORD = SecretValue.of("correct-horse-battery-staple");
  public static final ClientIdentity OPERATOR = new ClientIdentity("operator", "kanister");
  private static final AtomicInteger WORKSPACES = new AtomicInteger();

  private RealRepositories() {}

  public static FilesystemLocation filesystem(KopiaSandbox sandbox) {
    return FilesystemLocation.of(sandbox.newDir("repo-" + WORKSPACES.incrementAndGet()).toString());
  }

  public static S3Location s3(S3Bucket bucket, String prefix) {
    return S3Location.builder()
        .bucket(bucket.bucket())
        .endpoint(bucket.endpoint())
        .region(bucket.region())
        .prefix(prefix)
        .accessKeyId(SecretValue.of(bucket.accessKey()))
        .secretAccessKey(SecretValue.of(bucket.secretKey()))
        .build();
  }

  /** A client in a fresh workspace of the sandbox, not yet connected. */
  public static Kopia kopia(KopiaSandbox sandbox, SecretValue password) {
    KopiaWorkspace workspace =
        KopiaWorkspace.create(
            sandbox.root().resolve("workspaces"), "ws-" + WORKSPACES.incrementAndGet());
    return Kopia.open(new ProcessKopiaRunner(sandbox.binary()), workspace, password);
  }

  /** A client connected to a freshly created repository at {@code location}. */
  public static Kopia created(KopiaSandbox sandbox, StorageLocation location) {
    Kopia kopia = kopia(sandbox, PASSWORD);
    kopia.ensureRepository(location, OPERATOR);
    return kopia;
  }
}
