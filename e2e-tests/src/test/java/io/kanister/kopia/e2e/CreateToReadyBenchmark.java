package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.S3TestServer;
import io.kanister.kopia.testsupport.kube.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Issue 14 P1 on the real single-node cluster: the chart installed, an S3 Repository created, and
 * create-to-Ready divided by what cannot be avoided: the summed wall time of the operator's kopia
 * commands ({@code kopia_command_duration_seconds_sum} from its /metrics) plus the server's start
 * to listening (its container's start to the {@code SERVER ADDRESS:} log line). Prints the figures,
 * asserts nothing. Run only under the real-node lock:
 *
 * <pre>flock /work/notes/real-node.lock scripts/benchmark.sh e2e-tests \
 *     io.kanister.kopia.e2e.CreateToReadyBenchmark</pre>
 */
public final class CreateToReadyBenchmark {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("kko-p1-");
    String namespace = "p1-" + Long.toString(System.nanoTime() % 100_000, 36);
    String target = namespace + "-apps";
    try (LocalCluster cluster = LocalCluster.start();
        S3TestServer s3 = S3TestServer.startPrivate()) {
      KubernetesClient admin = cluster.client();
      for (String name : List.of(namespace, target)) {
        admin
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
      }
      try (ChartInstall chart =
          ChartInstall.install(cluster, namespace, "namespace", List.of(target), dir)) {
        S3Bucket bucket = s3.newBucket();
        String exposed = cluster.exposeHostPort(Integer.parseInt(bucket.hostPort().split(":")[1]));
        RepositoryFixtures.create(
            admin,
            RepositoryFixtures.s3Location(
                namespace,
                "location",
                new S3Bucket(
                    "http://" + exposed,
                    exposed,
                    bucket.region(),
                    bucket.bucket(),
                    bucket.accessKey(),
                    bucket.secretKey()),
                "p1/"),
            RepositoryFixtures.admin(namespace, "admin"),
            RepositoryFixtures.tls(
                namespace, "tls", cluster.controlPlane().pki(), "repo-" + target));
        double kopiaBefore = kopiaSeconds(chart.scrapeMetrics());
        long start = System.nanoTime();
        admin
            .resource(
                RepositoryFixtures.repository(
                    namespace, "repo", target, "location", "admin", "tls"))
            .create();
        Duration ready = Duration.ofSeconds(240);
        E2eSupport.awaitCondition(admin, namespace, "repo", "RepositoryReady", "True", ready);
        E2eSupport.awaitCondition(admin, namespace, "repo", "ServerReady", "True", ready);
        double createToReady = (System.nanoTime() - start) / 1e9;
        String metrics = chart.scrapeMetrics();
        double kopia = kopiaSeconds(metrics) - kopiaBefore;
        double listening = serverStartToListening(admin, namespace);
        System.out.printf(
            "[P1] create-to-Ready %.2fs; summed kopia CLI wall time %.2fs (%s); server start to"
                + " listening %.2fs; ratio %.2f (goal <= 1.10)%n",
            createToReady,
            kopia,
            kopiaCounts(metrics),
            listening,
            createToReady / (kopia + listening));
      }
    }
  }

  /** Seconds from the server container's start to kopia printing its listening address. */
  private static double serverStartToListening(KubernetesClient admin, String namespace) {
    Pod pod =
        admin
            .pods()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/name", "kopia-server")
            .list()
            .getItems()
            .stream()
            .filter(Readiness::isPodReady)
            .findFirst()
            .orElseThrow();
    Instant started =
        Instant.parse(
            pod.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt());
    String log =
        admin
            .pods()
            .inNamespace(namespace)
            .withName(pod.getMetadata().getName())
            .usingTimestamps()
            .getLog();
    String line = log.lines().filter(l -> l.contains("SERVER ADDRESS:")).findFirst().orElseThrow();
    Instant listening = Instant.parse(line.substring(0, line.indexOf(' ')));
    return Duration.between(started, listening).toMillis() / 1e3;
  }

  static double kopiaSeconds(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("kopia_command_duration_seconds_sum"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String kopiaCounts(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("kopia_command_duration_seconds_count"))
        .map(l -> l.replace("kopia_command_duration_seconds_count", ""))
        .reduce((a, b) -> a + ", " + b)
        .orElse("none");
  }

  private CreateToReadyBenchmark() {}
}
