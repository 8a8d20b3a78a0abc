package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator as a real process, started the way a container starts it: it becomes ready, takes
 * the leader Lease, serves metrics, reports its resident memory when idle, and on SIGTERM drains,
 * releases the Lease and exits 0.
 */
@RealKubernetes
@RealKopia
class OperatorProcessE2E {

  @Test
  void startsIdlesAndStopsCleanly(TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    LocalOperator.installCrd(ns.client());
    int healthPort = BackgroundProcess.freePort();
    Process operator = start(ns, sandbox, healthPort);
    try {
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> status(http, healthPort, "/readyz") == 200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var lease =
                    ns.client()
                        .leases()
                        .inNamespace(ns.name())
                        .withName("kopia-operator-leader")
                        .get();
                return lease != null
                    && "operator-process-e2e".equals(lease.getSpec().getHolderIdentity());
              });
      assertThat(body(http, healthPort, "/metrics")).contains("workqueue_depth");

      Thread.sleep(15_000);
      long rssKb = rssKb(operator.pid());
      System.out.printf(
          "[figures] operator process idle: RSS %d MiB (heap cap -Xmx256m)%n", rssKb / 1024);

      operator.destroy(); // SIGTERM, as the kubelet sends
      assertThat(operator.waitFor(40, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      assertThat(operator.exitValue())
          .as(Files.readString(sandbox.root().resolve("operator.log")))
          .isIn(0, 143);
      var lease =
          ns.client().leases().inNamespace(ns.name()).withName("kopia-operator-leader").get();
      assertThat(lease.getSpec().getHolderIdentity()).as("lease released").isNullOrEmpty();
    } finally {
      operator.destroyForcibly();
    }
  }

  /**
   * SIGTERM while a kopia command hangs (its S3 endpoint accepts connections and never answers):
   * the operator still exits within its 10 s bound and leaves no kopia process behind.
   */
  @Test
  void sigtermWhileKopiaHangsStopsWithinTheBoundAndLeavesNoKopia(
      TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    LocalOperator.installCrd(ns.client());
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(blackHole.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String namespace = ns.name();
      RepositoryFixtures.create(
          ns.client(),
          RepositoryFixtures.admin(namespace, "admin"),
          RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-h"),
          RepositoryFixtures.secret(
              namespace,
              "hanging",
              "Opaque",
              Map.of(
                  "type", "s3",
                  "bucket", "backups",
                  "endpoint", "http://127.0.0.1:" + blackHole.getLocalPort(),
                  "region", "us-east-1",
                  "repo-password", "pw-123456",
                  "access-key", "AKIAHANG",
                  "secret-access-key", "hanging-secret-key")));
      ns.client()
          .resource(
              RepositoryFixtures.repository(namespace, "r-hanging", "h", "hanging", "admin", "tls"))
          .create();
      Process operator = start(ns, sandbox, BackgroundProcess.freePort());
      try {
        List<ProcessHandle> kopia =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(
                    () ->
                        operator
                            .descendants()
                            .filter(
                                p -> p.info().command().map(c -> c.contains("kopia")).orElse(false))
                            .toList(),
                    list -> !list.isEmpty() && !held.isEmpty());

        long start = System.nanoTime();
        operator.destroy(); // SIGTERM
        boolean exited = operator.waitFor(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "[figures] operator exit after SIGTERM with %d kopia running: %.1f s%n",
            kopia.size(), seconds);
        assertThat(exited).as(Files.readString(sandbox.root().resolve("operator.log"))).isTrue();
        assertThat(seconds).as("the operator's shutdown bound").isLessThan(10.0);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> kopia.stream().noneMatch(ProcessHandle::isAlive));
      } finally {
        operator.destroyForcibly();
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  private static Process start(TestNamespace ns, KopiaSandbox sandbox, int healthPort)
      throws IOException {
    return OperatorProcess.start(
        ns.cluster().writeKubeconfig(sandbox.root().resolve("kubeconfig")),
        "operator-process-e2e",
        List.of(
            "--repository-scope=namespace",
            "--operator-namespace=" + ns.name(),
            "--kopia-binary=" + sandbox.binary(),
            "--webhook=false",
            "--health-bind-address=127.0.0.1",
            "--health-port=" + healthPort,
            "--work-dir=" + sandbox.newDir("work")),
        sandbox.root().resolve("operator.log"));
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String body(HttpClient http, int port, String path) throws Exception {
    return http.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  private static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid + " in " + Map.of());
  }
}
