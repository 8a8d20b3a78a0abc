package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.ToolBinary;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14 P5: the real operator main in its own JVM, with the image launcher's JVM options and the
 * chart's 512Mi memory limit, against the real API server. Prints start to first reconcile (process
 * start until a Repository present before the start has a condition; its location Secret is
 * missing, so no kopia runs) and the idle resident set (VmRSS from /proc). Asserts nothing.
 *
 * <pre>
 * scripts/benchmark.sh e2e-tests io.kanister.kopia.e2e.StartupBenchmark [starts] [idle-seconds]
 * </pre>
 */
public final class StartupBenchmark {
  private static final String NS = "kopia-operator";

  public static void main(String[] args) throws Exception {
    int starts = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path root = Files.createTempDirectory("kko-startup-");
    try (LocalControlPlane cluster = LocalControlPlane.start()) {
      KubernetesClient client = cluster.adminClient();
      LocalOperator.installCrd(client);
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
      Path kubeconfig = cluster.writeKubeconfig(root.resolve("kubeconfig"));
      List<Double> seconds = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        String name = "first-" + i;
        client
            .resource(
                RepositoryFixtures.repository(
                    NS, name, "apps-" + i, "missing-location", "missing-admin", "missing-tls"))
            .create();
        long start = System.nanoTime();
        Process operator = start(root, kubeconfig, i);
        try {
          awaitCondition(client, name, Duration.ofSeconds(60));
          double s = (System.nanoTime() - start) / 1e9;
          seconds.add(s);
          System.out.printf("[P5] start %d: process start to first reconcile %.2fs%n", i + 1, s);
          if (i == starts - 1) {
            for (int t = 0; t < idleSeconds; t += 15) {
              Thread.sleep(15_000);
              System.out.printf(
                  "[P5] idle %ds: VmRSS %d MiB%n", t + 15, rssKib(operator.pid()) >> 10);
            }
          }
        } finally {
          operator.destroy();
          if (!operator.waitFor(15, TimeUnit.SECONDS)) {
            operator.destroyForcibly();
          }
        }
      }
      seconds.sort(Double::compare);
      System.out.printf(
          "[P5] start to first reconcile: median %.2fs of %d starts (goal <= 3s)%n",
          seconds.get(seconds.size() / 2), seconds.size());
    }
  }

  /** As the image's launcher runs it; MaxRAM stands for the chart's 512Mi limit. */
  private static Process start(Path root, Path kubeconfig, int i) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:MaxRAM=512m",
            "-XX:MaxRAMPercentage=50",
            "-XX:-UsePerfData",
            "-cp",
            System.getProperty("java.class.path"),
            "io.kanister.kopia.operator.OperatorMain",
            "--repository-scope=namespace",
            "--operator-namespace=" + NS,
            "--kopia-binary=" + ToolBinary.KOPIA.require(),
            "--webhook=false",
            "--health-bind-address=127.0.0.1",
            "--health-port=" + io.kanister.kopia.testsupport.BackgroundProcess.freePort(),
            "--work-dir=" + Files.createDirectories(root.resolve("work-" + i))));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(root.resolve("operator-" + i + ".log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAME", "startup-benchmark");
    return builder.start();
  }

  private static void awaitCondition(KubernetesClient client, String name, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Repository r = client.resources(Repository.class).inNamespace(NS).withName(name).get();
      if (r != null
          && r.getStatus() != null
          && r.getStatus().condition("RepositoryReady").isPresent()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no first reconcile of " + name + " within " + timeout);
  }

  private static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
