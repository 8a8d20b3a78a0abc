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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14 P5: the operator image started as a pod starts it ({@link OperatorContainer}: runc, the
 * image's launcher with its JVM options, runtime and CDS archive, the chart's 1Gi memory limit as a
 * cgroup limit), against the real API server. Prints start to first reconcile (container start
 * until a Repository present before the start has a condition; its location Secret is missing, so
 * no kopia runs) and the idle resident set (VmRSS from /proc). Asserts nothing. Needs root, runc,
 * umoci and the built images ({@code scripts/build-images.sh}, {@code KKO_IMAGES_DIR}).
 *
 * <pre>
 * scripts/benchmark.sh e2e-tests io.kanister.kopia.e2e.StartupBenchmark [starts] [idle-seconds]
 * scripts/benchmark.sh e2e-tests io.kanister.kopia.e2e.StartupBenchmark --class-list
 * </pre>
 *
 * {@code --class-list} refreshes deploy/images/operator-classes.txt, the classes the image's CDS
 * archive holds: one start of the packaged operator jar (operator-app/target, {@code ./mvnw -pl
 * operator-app -am package}) on this JDK with {@code -XX:DumpLoadedClassList}, through the first
 * reconcile and 20 s idle, then a normal shutdown.
 */
public final class StartupBenchmark {
  private static final String NS = "kopia-operator";
  private static final Path CLASS_LIST = Path.of("deploy/images/operator-classes.txt");

  public static void main(String[] args) throws Exception {
    boolean classList = args.length > 0 && args[0].equals("--class-list");
    int starts = classList ? 1 : args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int idleSeconds = classList ? 20 : args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path root = Files.createTempDirectory("kko-startup-");
    try (LocalControlPlane cluster = LocalControlPlane.start()) {
      KubernetesClient client = cluster.adminClient();
      LocalOperator.installCrd(client);
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
      Path kubeconfig = cluster.writeKubeconfig(root.resolve("kubeconfig"));
      Path bundle = classList ? null : OperatorContainer.unpack(root);
      Path serviceAccount = classList ? null : serviceAccount(client, cluster, root);
      List<Double> seconds = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        String name = "first-" + i;
        client
            .resource(
                RepositoryFixtures.repository(
                    NS, name, "apps-" + i, "missing-location", "missing-admin", "missing-tls"))
            .create();
        Path log = root.resolve("operator-" + i + ".log");
        Started operator =
            classList
                ? startJar(root, kubeconfig, log)
                : startImage(
                    bundle,
                    "kko-startup-" + ProcessHandle.current().pid() + "-" + i,
                    java.net.URI.create(cluster.url()),
                    serviceAccount,
                    log);
        try {
          awaitCondition(client, name, Duration.ofSeconds(180));
          double s = (System.nanoTime() - operator.startedAt()) / 1e9;
          seconds.add(s);
          System.out.printf(
              "[P5] start %d: process start to first reconcile %.2fs (JVM CPU %.2fs, of which JIT"
                  + " %.2fs, load %.1f)%n",
              i + 1,
              s,
              cpuSeconds(operator.pid()),
              jitSeconds(operator.pid()),
              java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                  .getSystemLoadAverage());
          if (i == starts - 1) {
            for (int t = 0; t < idleSeconds; t += 15) {
              Thread.sleep(Math.min(15, idleSeconds - t) * 1000L);
              System.out.printf(
                  "[P5] idle %ds: VmRSS %d MiB%n",
                  Math.min(t + 15, idleSeconds), rssKib(operator.pid()) >> 10);
            }
          }
        } finally {
          operator.stop().close();
        }
      }
      seconds.sort(Double::compare);
      System.out.printf(
          "[P5] start to first reconcile: median %.2fs of %d starts (goal <= 3s)%n",
          seconds.get(seconds.size() / 2), seconds.size());
      if (classList) {
        System.out.printf(
            "[P5] wrote %s (%d lines); rebuild the operator image%n",
            CLASS_LIST, Files.readAllLines(CLASS_LIST).size());
      }
    } finally {
      // The unpacked image is about 190 MB; the operators' logs stay.
      for (String unpacked : List.of("bundle", "layout", "runc-state")) {
        run("rm", "-rf", root.resolve(unpacked).toString());
      }
      System.out.println("[P5] operator logs in " + root);
    }
  }

  private static void run(String... command) throws Exception {
    new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private record Started(long startedAt, long pid, AutoCloseable stop) {}

  private static List<String> operatorFlags(String kopia, String workDir) throws Exception {
    return List.of(
        "--repository-scope=namespace",
        "--operator-namespace=" + NS,
        "--kopia-binary=" + kopia,
        "--webhook=false",
        "--health-bind-address=127.0.0.1",
        "--health-port=" + io.kanister.kopia.testsupport.BackgroundProcess.freePort(),
        "--work-dir=" + workDir);
  }

  /** The image as a pod runs it. */
  private static Started startImage(
      Path bundle, String id, java.net.URI apiServer, Path serviceAccount, Path log)
      throws Exception {
    OperatorContainer container =
        OperatorContainer.create(
            bundle,
            id,
            operatorFlags("/bin/kopia", "/var/lib/kopia-operator"),
            containerEnv(),
            apiServer,
            serviceAccount,
            log);
    long start = System.nanoTime();
    container.start();
    return new Started(start, container.pid(), container);
  }

  /**
   * The pod's environment; {@code KKO_STARTUP_JAVA_TOOL_OPTIONS} on the benchmark's side becomes
   * the container's {@code JAVA_TOOL_OPTIONS}, to profile a start (e.g. {@code
   * -Xlog:class+load:stdout:uptime}, {@code -Xlog:startuptime}); the JVM's output goes to the
   * operator log.
   */
  private static Map<String, String> containerEnv() {
    String profile = System.getenv("KKO_STARTUP_JAVA_TOOL_OPTIONS");
    return profile == null || profile.isBlank()
        ? Map.of("POD_NAME", "startup-benchmark")
        : Map.of("POD_NAME", "startup-benchmark", "JAVA_TOOL_OPTIONS", profile);
  }

  /**
   * What the kubelet mounts into the operator's pod: a token of the operator's ServiceAccount
   * (bound to cluster-admin here; the benchmark measures time, not RBAC), the cluster CA and the
   * namespace.
   */
  private static Path serviceAccount(KubernetesClient client, LocalControlPlane cluster, Path root)
      throws Exception {
    client
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("kopia-operator")
                .endMetadata()
                .build())
        .create();
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("startup-benchmark")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("kopia-operator")
                .withNamespace(NS)
                .endSubject()
                .build())
        .create();
    String token =
        client
            .serviceAccounts()
            .inNamespace(NS)
            .withName("kopia-operator")
            .tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Path dir = Files.createDirectories(root.resolve("serviceaccount"));
    Files.writeString(dir.resolve("token"), token);
    Files.writeString(dir.resolve("ca.crt"), cluster.caPem());
    Files.writeString(dir.resolve("namespace"), NS);
    return dir;
  }

  /** The packaged jar on this JDK, recording the classes it loads (--class-list). */
  private static Started startJar(Path root, Path kubeconfig, Path log) throws Exception {
    Path jar = Path.of("operator-app/target/kopia-operator.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": run ./mvnw -pl operator-app -am package");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-XX:MaxRAM=1g",
            "-XX:MaxRAMPercentage=50",
            "-XX:DumpLoadedClassList=" + CLASS_LIST.toAbsolutePath(),
            "-jar",
            jar.toString()));
    command.addAll(
        operatorFlags(
            ToolBinary.KOPIA.require().toString(),
            Files.createDirectories(root.resolve("work")).toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAME", "startup-benchmark");
    long start = System.nanoTime();
    Process operator = builder.start();
    return new Started(
        start,
        operator.pid(),
        () -> {
          operator.destroy();
          if (!operator.waitFor(15, TimeUnit.SECONDS)) {
            operator.destroyForcibly();
          }
        });
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

  /** User and system time of the JVM (the container's one process), from /proc. */
  private static double cpuSeconds(long pid) throws Exception {
    return cpuSeconds(Path.of("/proc/" + pid));
  }

  /** CPU time of the JVM's C1 and C2 compiler threads (their names in /proc/PID/task/TID/comm). */
  private static double jitSeconds(long pid) throws Exception {
    double total = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (Files.readString(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
            total += cpuSeconds(task);
          }
        } catch (java.io.IOException e) {
          // the thread ended
        }
      }
    }
    return total;
  }

  private static double cpuSeconds(Path statOwner) throws Exception {
    String stat = Files.readString(statOwner.resolve("stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
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
