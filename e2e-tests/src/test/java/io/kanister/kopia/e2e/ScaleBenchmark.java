package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.OperatorStartup;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.ToolBinary;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Issue 14 P4: 1000 Repositories and 5000 labelled workloads in 100 namespaces on one operator, on
 * the real API server. The pod layer is stood in ({@link AvailableDeployments}); one real Kopia
 * server answers every control probe (all Repositories share its TLS and admin Secrets); kopia runs
 * for real on one sample Repository and is replayed for the others ({@link ReplayingKopiaRunner}),
 * so the figures are the operator's control logic and kopia's time is printed apart. Prints
 * figures, asserts nothing.
 *
 * <pre>scripts/benchmark.sh e2e-tests io.kanister.kopia.e2e.ScaleBenchmark [repos] [namespaces]
 * [workloads-per-namespace] [resync-seconds]</pre>
 */
public final class ScaleBenchmark {
  private static final String NS = "kopia-operator";
  private static final Map<String, String> OPTED_IN =
      Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT);

  public static void main(String[] args) throws Exception {
    int repositories = arg(args, 0, 1000);
    int namespaces = arg(args, 1, 100);
    int perNamespace = arg(args, 2, 50);
    Duration resync = Duration.ofSeconds(arg(args, 3, 60));
    Path root = Files.createTempDirectory("kko-scale-");
    // One Service per Repository: the control plane's default /24 holds 253.
    System.setProperty("kko.serviceClusterIpRange", "10.96.0.0/20");
    Path kopiaBinary = ToolBinary.KOPIA.require();
    try (LocalControlPlane cluster = LocalControlPlane.start()) {
      KubernetesClient client = cluster.adminClient();
      // The operator has its own client (its own connections), as in its own pod.
      KubernetesClient operatorClient =
          Boolean.getBoolean("kko.http1")
              ? new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                  .withConfig(
                      new io.fabric8.kubernetes.client.ConfigBuilder(
                              cluster
                                  .clientAs("kopia-operator-scale", "system:masters")
                                  .getConfiguration())
                          .withHttp2Disable(true)
                          .build())
                  .build()
              : cluster.clientAs("kopia-operator-scale", "system:masters");
      LocalOperator.installCrd(client);
      namespace(client, NS);
      long t0 = System.nanoTime();
      createWorkloads(client, namespaces, perNamespace);
      System.out.printf(
          "[setup] %d labelled StatefulSets in %d namespaces in %.0fs%n",
          namespaces * perNamespace, namespaces, seconds(t0));

      TestPki.Issued tls =
          cluster.pki().issueServer("repo-server", List.of("localhost"), List.of("127.0.0.1"));
      RepositoryFixtures.create(
          client,
          RepositoryFixtures.admin(NS, "scale-admin"),
          RepositoryFixtures.secret(
              NS,
              "scale-tls",
              "kubernetes.io/tls",
              Map.of("tls.crt", tls.certPem(), "tls.key", tls.keyPem())));
      Path sampleRepo = Files.createDirectories(root.resolve("repos/r-0000"));
      ProcessKopiaRunner process = new ProcessKopiaRunner(kopiaBinary);
      Kopia.open(
              process,
              KopiaWorkspace.create(root.resolve("bench"), "owner"),
              SecretValue.of(RepositoryFixtures.REPO_PASSWORD))
          .ensureRepository(
              FilesystemLocation.of(sampleRepo.toString()), new ClientIdentity("bench", "scale"));
      try (SampleServer server = SampleServer.start(kopiaBinary, root, sampleRepo, tls);
          AvailableDeployments pods = new AvailableDeployments(client, NS).start()) {
        ReplayingKopiaRunner kopia = new ReplayingKopiaRunner(process);
        OperatorOptions options =
            LocalOperator.options(
                NS,
                RepositoryScope.NAMESPACE,
                kopiaBinary,
                Files.createDirectories(root.resolve("work")),
                resync);
        var endpoints =
            (io.kanister.kopia.operator.server.ServerEndpointResolver)
                (host, port) -> server.address();

        // The sample: the real kopia, recorded.
        long sampleStart = System.nanoTime();
        try (var sample =
            OperatorStartup.start(
                client, options, kopia, endpoints, "scale-sample", Optional.empty(), false)) {
          createRepositories(client, root, 0, 1);
          awaitReconciled(client, 1, Duration.ofMinutes(3));
        }
        System.out.printf(
            "[kopia] sample Repository: first pass ran %s, summed kopia wall time %.2fs (create-to-Ready %.1fs incl. operator start)%n",
            kopia.counts(), kopia.realSeconds(), seconds(sampleStart));
        kopia.replay();
        createRepositories(client, root, 1, repositories);
        System.out.printf("[setup] %d Repositories with their location Secrets%n", repositories);
        long heapBefore = usedHeap();

        long start = System.nanoTime();
        try (var running =
            OperatorStartup.start(
                client, options, kopia, endpoints, "scale-operator", Optional.empty(), false)) {
          awaitReconciled(client, repositories, Duration.ofMinutes(15));
          double allReconciled = seconds(start);
          long heap = usedHeap();
          var registry = running.operator().runtime().meterRegistry();
          Timer reconcile = registry.find("controller.reconcile.duration").timer();
          var firstPasses = reconcile.takeSnapshot();
          System.out.printf(
              "[P4] start to all %d Repositories reconciled: %.1fs (goal <= 120s, kopia replayed)%n",
              repositories, allReconciled);
          System.out.printf(
              "[P4] used heap after full reconcile (after GC): %d MiB (benchmark JVM before the operator started: %d MiB; goal <= 256 MiB)%n",
              heap >> 20, heapBefore >> 20);
          System.out.printf(
              "[P4] reconciles so far %d, p99 %.1f ms, max %.1f ms%n",
              firstPasses.count(),
              p99(firstPasses.histogramCounts(), null, firstPasses.count()),
              firstPasses.max(TimeUnit.MILLISECONDS));

          // One resync period to let the start phase drain: passes queued behind it (requeues,
          // the events of the operator's own first writes) would otherwise land in the window and
          // count as more than one pass per Repository.
          var settleBefore = reconcile.takeSnapshot().count();
          Thread.sleep(resync.toMillis());
          System.out.printf(
              "[P4] settling resync (%ds, not measured): %d reconciles%n",
              resync.toSeconds(), reconcile.takeSnapshot().count() - settleBefore);

          // One resync period of steady state.
          var kopiaBefore = kopia.counts();
          double requestsBefore = ApiServerRequests.total(client);
          var before = reconcile.takeSnapshot();
          Thread.sleep(resync.toMillis());
          var after = reconcile.takeSnapshot();
          double requests = ApiServerRequests.total(client) - requestsBefore;
          var kopiaDelta = ReplayingKopiaRunner.minus(kopia.counts(), kopiaBefore);
          long passes = after.count() - before.count();
          System.out.printf(
              "[P4] one resync (%ds): %d reconciles, p99 control logic %.1f ms (goal <= 50 ms; histogram bucket bound)%n",
              resync.toSeconds(),
              passes,
              p99(after.histogramCounts(), before.histogramCounts(), passes));
          System.out.printf(
              "[P4] kopia reads per Repository per resync: %.2f (goal <= 1); commands %s%n",
              ReplayingKopiaRunner.reads(kopiaDelta) / (double) repositories, kopiaDelta);
          System.out.printf(
              "[P4] kopia reads per pass in that resync: %.2f (%d passes for %d Repositories)%n",
              ReplayingKopiaRunner.reads(kopiaDelta) / (double) Math.max(1, passes),
              passes,
              repositories);
          System.out.printf(
              "[P4] API requests per resync: %.0f (%.1f per Repository; non-watch requests the API server counted)%n",
              requests, requests / repositories);
          System.out.printf(
              "[P4] per-Repository memory entries: %s; replays without a recorded outcome: %d; Deployment status writes: %d%n",
              running.operator().memory().sizes(), kopia.unrecorded(), pods.written());
        }
        System.out.printf(
            "[P4] informer cache memory (same caches, measured alone after GC): %d MiB%n",
            cacheMemory(client) >> 20);
      }
    }
  }

  private static long cacheMemory(KubernetesClient client) throws Exception {
    long base = usedHeap();
    try (SharedInformers informers = new SharedInformers(client)) {
      informers.cache(Repository.class, NS);
      informers.cache(Secret.class, NS);
      informers.cache(Deployment.class, NS);
      informers.cache(Service.class, NS);
      informers.cache(StatefulSet.class, null, OPTED_IN);
      informers.cache(Deployment.class, null, OPTED_IN);
      informers.cache(DaemonSet.class, null, OPTED_IN);
      informers.start();
      informers.awaitSynced(Duration.ofMinutes(2));
      return usedHeap() - base;
    }
  }

  /** The upper bound of the histogram bucket holding the 99th percentile of what was added. */
  static double p99(CountAtBucket[] after, CountAtBucket[] before, long count) {
    double wanted = Math.ceil(count * 0.99);
    for (int i = 0; i < after.length; i++) {
      double n = after[i].count() - (before == null ? 0 : before[i].count());
      if (n >= wanted) {
        return after[i].bucket(TimeUnit.MILLISECONDS);
      }
    }
    return Double.NaN;
  }

  static void awaitReconciled(KubernetesClient client, int expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Repository> all = client.resources(Repository.class).inNamespace(NS).list().getItems();
      long done = all.stream().filter(ScaleBenchmark::reconciled).count();
      if (done >= expected) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(
        "not all " + expected + " Repositories reconciled in " + timeout);
  }

  private static boolean reconciled(Repository r) {
    if (r.getStatus() == null) {
      return false;
    }
    boolean current =
        java.util.Objects.equals(
            r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration());
    return current
        && r.getStatus()
            .condition("ServerReady")
            .map(c -> "True".equals(c.getStatus()))
            .orElse(false)
        && r.getStatus()
            .condition("UsersReady")
            .map(c -> "True".equals(c.getStatus()))
            .orElse(false);
  }

  private static void createWorkloads(KubernetesClient client, int namespaces, int perNamespace)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int n = 0; n < namespaces; n++) {
      String namespace = String.format("w-%03d", n);
      namespace(client, namespace);
      for (int w = 0; w < perNamespace; w++) {
        String name = String.format("app-%03d", w);
        pool.execute(
            () ->
                client
                    .resource(
                        TestWorkloads.statefulSet(namespace, name, "default", OPTED_IN, Map.of()))
                    .create());
      }
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
  }

  /** Repositories [from, to): each its own filesystem location and target namespace. */
  private static void createRepositories(KubernetesClient client, Path root, int from, int to)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    IntStream.range(from, to)
        .forEach(
            i ->
                pool.execute(
                    () -> {
                      String name = String.format("r-%04d", i);
                      try {
                        Path path = Files.createDirectories(root.resolve("repos").resolve(name));
                        client
                            .resource(
                                RepositoryFixtures.filesystemLocation(
                                    NS,
                                    name + "-location",
                                    path.toString(),
                                    RepositoryFixtures.REPO_PASSWORD))
                            .create();
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                      client
                          .resource(
                              RepositoryFixtures.repository(
                                  NS,
                                  name,
                                  "t-" + name,
                                  name + "-location",
                                  "scale-admin",
                                  "scale-tls"))
                          .create();
                    }));
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
  }

  private static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
