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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

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
  // 253 Services fit; the scale benchmark asks for more with -Dkko.serviceClusterIpRange.
  static final String SERVICE_CLUSTER_IP_RANGE =
      System.getProperty("kko.serviceClusterIpRange", "10.96.0.0/24");

  private final Path root;
  private final TestPki pki;
  private final TestPki.Issued admin;
  private final LocalProcess etcd;
  private final String etcdUrl;
  private final Placement placement;
  private final List<String> apiServerCommand;
  // Replaced by restartApiServer(): a fault test stops and starts it on the same port and etcd.
  private volatile LocalProcess apiServer;
  private final String url;
  private final String version;
  private final KubernetesClient adminClient;

  /**
   * Where the control plane runs and how the test JVM reaches it. {@link #loopback} is the plain
   * host-loopback layout; {@link LocalCluster} runs the same processes inside its network namespace
   * and reaches the API server through a forwarder.
   *
   * @param commandPrefix put before each command, for example {@code nsenter --net=... --}
   * @param hostReachable whether the JVM can reach etcd and the API server ports directly
   * @param url how the JVM reaches the API server
   * @param servingIps extra IP SANs of the serving certificate (127.0.0.1 is always there)
   * @param apiServerFlags {@code --name=value} flags added to kube-apiserver, replacing its own
   * @param started told about each process right after it starts, to record its PID
   */
  record Placement(
      Path root,
      TestPki pki,
      List<String> commandPrefix,
      boolean hostReachable,
      int etcdClientPort,
      int etcdPeerPort,
      String bindAddress,
      String advertiseAddress,
      int securePort,
      String url,
      List<String> servingIps,
      List<String> apiServerFlags,
      Consumer<LocalProcess> started) {

    static Placement loopback() throws IOException {
      int apiPort = BackgroundProcess.freePort();
      return new Placement(
          Files.createTempDirectory("kube-test-"),
          TestPki.newCa("kko-test-ca"),
          List.of(),
          true,
          BackgroundProcess.freePort(),
          BackgroundProcess.freePort(),
          "127.0.0.1",
          "127.0.0.1",
          apiPort,
          "https://127.0.0.1:" + apiPort,
          List.of(),
          List.of(),
          process -> {});
    }
  }

  private LocalControlPlane(Path etcdBinary, Path apiServerBinary, Placement placement)
      throws IOException {
    long started = System.nanoTime();
    root = placement.root();
    pki = placement.pki();
    this.placement = placement;
    List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
    ips.addAll(placement.servingIps());
    TestPki.Issued serving =
        pki.issueServer(
            "kube-apiserver",
            List.of(
                "localhost",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local"),
            ips);
    admin = pki.issueClient("kko-test-admin", "system:masters");
    var serviceAccountKey = TestPki.newRsaKey();
    TestPki.write(root.resolve("ca.crt"), pki.caPem());
    TestPki.write(root.resolve("apiserver.crt"), serving.certPem());
    TestPki.write(root.resolve("apiserver.key"), serving.keyPem());
    TestPki.write(root.resolve("sa.key"), TestPki.pem(serviceAccountKey.getPrivate()));
    TestPki.write(root.resolve("sa.pub"), TestPki.pem(serviceAccountKey.getPublic()));

    etcdUrl = "http://127.0.0.1:" + placement.etcdClientPort();
    String etcdPeerUrl = "http://127.0.0.1:" + placement.etcdPeerPort();
    etcd =
        start(
            placement,
            "etcd",
            List.of(
                etcdBinary.toString(),
                "--data-dir=" + root.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=" + etcdPeerUrl,
                "--initial-advertise-peer-urls=" + etcdPeerUrl,
                "--initial-cluster=default=" + etcdPeerUrl,
                // Test data is disposable; skipping fsync keeps a 2-core machine responsive.
                "--unsafe-no-fsync=true",
                "--log-level=warn"));
    if (placement.hostReachable()) {
      waitForPort(etcd, placement.etcdClientPort());
    } // else kube-apiserver retries etcd until it answers

    url = placement.url();
    apiServerCommand =
        new ArrayList<>(
            List.of(
                apiServerBinary.toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=" + placement.bindAddress(),
                "--advertise-address=" + placement.advertiseAddress(),
                "--secure-port=" + placement.securePort(),
                "--cert-dir=" + root.resolve("certs"),
                "--tls-cert-file=" + root.resolve("apiserver.crt"),
                "--tls-private-key-file=" + root.resolve("apiserver.key"),
                "--client-ca-file=" + root.resolve("ca.crt"),
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + root.resolve("sa.pub"),
                "--service-account-signing-key-file=" + root.resolve("sa.key"),
                "--api-audiences=" + SERVICE_ACCOUNT_ISSUER,
                "--authorization-mode=RBAC",
                "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                "--profiling=false",
                "--v=0"));
    for (String flag : placement.apiServerFlags()) {
      // Some flags are lists that a repetition would extend: replace instead.
      String name = flag.substring(0, flag.indexOf('=') + 1);
      apiServerCommand.removeIf(existing -> existing.startsWith(name));
      apiServerCommand.add(flag);
    }
    apiServer = start(placement, "kube-apiserver", apiServerCommand);
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

  private LocalProcess start(Placement placement, String name, List<String> command) {
    List<String> full = new ArrayList<>(placement.commandPrefix());
    full.addAll(command);
    LocalProcess process = LocalProcess.start(name, full, root.resolve(name + ".log"));
    placement.started().accept(process);
    return process;
  }

  /** Starts a control plane, or fails (CI) / skips (local) when a binary is missing. */
  public static LocalControlPlane start() {
    Path etcdBinary = ToolBinary.ETCD.require();
    Path apiServerBinary = ToolBinary.KUBE_APISERVER.require();
    try {
      return new LocalControlPlane(etcdBinary, apiServerBinary, Placement.loopback());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a control plane laid out as {@code placement} says (binaries already required). */
  static LocalControlPlane start(Placement placement) {
    try {
      return new LocalControlPlane(
          ToolBinary.ETCD.require(), ToolBinary.KUBE_APISERVER.require(), placement);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops kube-apiserver (SIGTERM, as a control-plane upgrade would) and starts it again with the
   * same flags, port and etcd, waiting until it is ready: for API-server-restart fault tests. Every
   * open connection and watch is cut; etcd keeps every object.
   *
   * @param down how long the API server stays away before it starts again
   * @return how long the API server was unreachable, stop to ready
   */
  public java.time.Duration restartApiServer(java.time.Duration down) {
    long stopped = System.nanoTime();
    apiServer.close();
    sleep(down.toMillis());
    apiServer = start(placement, "kube-apiserver", apiServerCommand);
    waitForReady();
    return java.time.Duration.ofNanos(System.nanoTime() - stopped);
  }

  /**
   * Compacts etcd's history up to its current revision (through etcd's JSON gateway), so a watch or
   * list asking for an older resourceVersion gets {@code 410 Gone}.
   *
   * @return the revision compacted to
   */
  public long compactEtcd() {
    if (!placement.hostReachable()) {
      throw new IllegalStateException("etcd is not reachable from this JVM in this placement");
    }
    String range = etcdPost("/v3/kv/range", "{\"key\":\"AA==\"}");
    var matcher = java.util.regex.Pattern.compile("\"revision\":\"(\\d+)\"").matcher(range);
    if (!matcher.find()) {
      throw new IllegalStateException("no revision in etcd's answer: " + range);
    }
    long revision = Long.parseLong(matcher.group(1));
    etcdPost("/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
    return revision;
  }

  private String etcdPost(String path, String json) {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var response =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(etcdUrl + path))
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                  .header("Content-Type", "application/json")
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "etcd " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The folder holding the certificates and keys ({@code ca.crt}, {@code sa.key}, ...). */
  Path root() {
    return root;
  }

  /** A client certificate for {@code user} in {@code group}, for a component's kubeconfig. */
  TestPki.Issued issueClient(String user, String group) {
    return pki.issueClient(user, group);
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
    return writeKubeconfig(file, url, admin);
  }

  /** Writes a kubeconfig for {@code identity} reaching the API server at {@code server}. */
  Path writeKubeconfig(Path file, String server, TestPki.Issued identity) {
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
            .formatted(server, b64(pki.caPem()), b64(identity.certPem()), b64(identity.keyPem()));
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
