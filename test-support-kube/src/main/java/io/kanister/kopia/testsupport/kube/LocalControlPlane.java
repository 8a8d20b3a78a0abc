package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.RealParts;
import io.kanister.kopia.testsupport.TempFolders;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.ToolBinary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * A real Kubernetes control plane without nodes: {@code etcd} and {@code kube-apiserver} on free
 * loopback ports, with a test CA, client-certificate admin access, RBAC authorization and
 * ServiceAccount token signing (so TokenRequest works).
 *
 * <p>There is no controller manager: nothing garbage-collects owned objects, finalizes namespaces
 * or runs pods. Tests assert on API objects, not on their side effects in a real cluster.
 */
public final class LocalControlPlane implements AutoCloseable {
  public static final String SERVICE_ACCOUNT_ISSUER =
      "https://kubernetes.default.svc.cluster.local";

  private final Path root;
  private final TestPki pki;
  private final TestPki.Issued admin;
  private final LocalProcess etcd;
  private final LocalProcess apiServer;
  private final String url;
  private final String version;
  private final KubernetesClient adminClient;

  private LocalControlPlane(Path etcdBinary, Path apiServerBinary) throws IOException {
    long started = System.nanoTime();
    root = Files.createTempDirectory("kube-test-");
    pki = TestPki.newCa("kko-test-ca");
    TestPki.Issued serving =
        pki.issueServer("kube-apiserver", List.of("localhost"), List.of("127.0.0.1"));
    admin = pki.issueClient("kko-test-admin", "system:masters");
    var serviceAccountKey = TestPki.newRsaKey();
    TestPki.write(root.resolve("ca.crt"), pki.caPem());
    TestPki.write(root.resolve("apiserver.crt"), serving.certPem());
    TestPki.write(root.resolve("apiserver.key"), serving.keyPem());
    TestPki.write(root.resolve("sa.key"), TestPki.pem(serviceAccountKey.getPrivate()));
    TestPki.write(root.resolve("sa.pub"), TestPki.pem(serviceAccountKey.getPublic()));

    int etcdClientPort = BackgroundProcess.freePort();
    int etcdPeerPort = BackgroundProcess.freePort();
    String etcdUrl = "http://127.0.0.1:" + etcdClientPort;
    etcd =
        LocalProcess.start(
            "etcd",
            List.of(
                etcdBinary.toString(),
                "--data-dir=" + root.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                "--initial-cluster=default=http://127.0.0.1:" + etcdPeerPort,
                // Test data is disposable; skipping fsync keeps a 2-core machine responsive.
                "--unsafe-no-fsync=true",
                "--log-level=warn"),
            root.resolve("etcd.log"));
    waitForPort(etcd, etcdClientPort);

    int apiPort = BackgroundProcess.freePort();
    url = "https://127.0.0.1:" + apiPort;
    apiServer =
        LocalProcess.start(
            "kube-apiserver",
            List.of(
                apiServerBinary.toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--cert-dir=" + root.resolve("certs"),
                "--tls-cert-file=" + root.resolve("apiserver.crt"),
                "--tls-private-key-file=" + root.resolve("apiserver.key"),
                "--client-ca-file=" + root.resolve("ca.crt"),
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + root.resolve("sa.pub"),
                "--service-account-signing-key-file=" + root.resolve("sa.key"),
                "--api-audiences=" + SERVICE_ACCOUNT_ISSUER,
                "--authorization-mode=RBAC",
                "--service-cluster-ip-range=10.96.0.0/24",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                "--profiling=false",
                "--v=0"),
            root.resolve("kube-apiserver.log"));
    adminClient =
        clientFor(
            config()
                .withClientCertData(b64(admin.certPem()))
                .withClientKeyData(b64(admin.keyPem())));
    waitForReady();
    version = adminClient.getKubernetesVersion().getGitVersion();
    RealParts.announce(
        "kube-apiserver",
        version
            + " at "
            + url
            + " with etcd "
            + etcdUrl
            + String.format(" (ready in %.1fs)", (System.nanoTime() - started) / 1e9));
  }

  /** Starts a control plane, or fails (CI) / skips (local) when a binary is missing. */
  public static LocalControlPlane start() {
    Path etcdBinary = ToolBinary.ETCD.require();
    Path apiServerBinary = ToolBinary.KUBE_APISERVER.require();
    try {
      return new LocalControlPlane(etcdBinary, apiServerBinary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return url;
  }

  public String version() {
    return version;
  }

  public String caPem() {
    return pki.caPem();
  }

  public TestPki pki() {
    return pki;
  }

  /** A client acting as cluster admin (group {@code system:masters}). */
  public KubernetesClient adminClient() {
    return adminClient;
  }

  /** A client authenticating with a bearer token, for example a ServiceAccount token. */
  public KubernetesClient clientWithToken(String token) {
    return clientFor(config().withOauthToken(token));
  }

  /** A client authenticating with a client certificate for {@code user} in {@code group}. */
  public KubernetesClient clientAs(String user, String group) {
    TestPki.Issued cert = pki.issueClient(user, group);
    return clientFor(
        config().withClientCertData(b64(cert.certPem())).withClientKeyData(b64(cert.keyPem())));
  }

  /**
   * Writes a kubeconfig for the admin identity, so that separate processes (an operator started as
   * a real process, kubectl) can use this control plane.
   */
  public Path writeKubeconfig(Path file) {
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: admin
          user:
            client-certificate-data: %s
            client-key-data: %s
        contexts:
        - name: local
          context: {cluster: local, user: admin}
        current-context: local
        """
            .formatted(url, b64(pki.caPem()), b64(admin.certPem()), b64(admin.keyPem()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, kubeconfig);
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private ConfigBuilder config() {
    // Config.empty(): never pick up a developer's kubeconfig or in-cluster settings.
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withCaCertData(b64(pki.caPem()))
        .withRequestTimeout(30_000)
        .withConnectionTimeout(10_000);
  }

  private static KubernetesClient clientFor(ConfigBuilder config) {
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  private void waitForReady() {
    long deadline = System.nanoTime() + 120_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!apiServer.isAlive()) {
        throw apiServer.failure("exited during start-up");
      }
      try {
        last = adminClient.raw(url + "/readyz");
        if ("ok".equals(last)) {
          return;
        }
      } catch (RuntimeException e) {
        last = e.getMessage();
      }
      sleep(250);
    }
    throw apiServer.failure("not ready after 120s (last /readyz: " + last + ")");
  }

  private static void waitForPort(LocalProcess process, int port) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw process.failure("exited during start-up");
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw process.failure("did not listen on port " + port + " within 60s");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    adminClient.close();
    apiServer.close();
    etcd.close();
    try {
      TempFolders.deleteRecursively(root);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
