package io.kanister.kopia.operator.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.leader.LeaderElectionSettings;
import io.kanister.controller.reconcile.Result;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.operator.ReliabilityOptions;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.LoopbackProxy;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Fencing on the real API server with real kopia: two candidates, each running kopia snapshots into
 * one filesystem repository for as long as it leads. The leader's connection to the API server goes
 * dark (a relay that holds every byte, so its renew call hangs rather than fails). Its watchdog
 * must fence it (kill its kopia, refuse more) before the standby may lead, so the old leader's last
 * kopia write ends before the new leader's first starts, and no kopia of the old leader is left
 * running.
 */
@RealKubernetes
@RealKopia
class LeaderFencingIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String PASSWORD = "fencing-test-repository-password";
  // 2 s margin between the renew deadline and the lease: the operator's least (MIN_FENCE_MARGIN).
  private static final ReliabilityOptions TIMING =
      new ReliabilityOptions(
          Duration.ofSeconds(4),
          Duration.ofSeconds(2),
          Duration.ofMillis(500),
          Duration.ofMinutes(1),
          4,
          2);

  record Write(String who, Instant start, Instant end, String outcome) {}

  @Test
  void theOldLeadersLastKopiaWriteEndsBeforeTheNewLeadersFirst(TestNamespace ns, KopiaSandbox kopia)
      throws Exception {
    Path repository = kopia.newDir("repository");
    Path source = kopia.newDir("source");
    for (int i = 0; i < 50; i++) {
      Files.writeString(source.resolve("file-" + i), "content " + i + " ".repeat(i * 100));
    }
    Map<String, String> password = Map.of("KOPIA_PASSWORD", PASSWORD);
    assertThat(
            kopia
                .exec(password, "repository", "create", "filesystem", "--path=" + repository)
                .exitCode())
        .isZero();
    ns.client()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("tick")
                .withNamespace(ns.name())
                .endMetadata()
                .build())
        .create();

    List<Write> writes = new CopyOnWriteArrayList<>();
    URI apiServer = URI.create(ns.cluster().url());
    try (var proxy =
            new LoopbackProxy(new InetSocketAddress(apiServer.getHost(), apiServer.getPort()));
        KubernetesClient throughProxy =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(ns.client().getConfiguration())
                        .withMasterUrl("https://" + apiServer.getHost() + ":" + proxy.port())
                        .build())
                .build();
        KubernetesClient direct =
            new KubernetesClientBuilder().withConfig(ns.client().getConfiguration()).build()) {
      var old = new Candidate("old", throughProxy, ns, kopia, repository, source, writes);
      var successor = new Candidate("successor", direct, ns, kopia, repository, source, writes);
      try {
        old.runtime.start();
        until(old.runtime::isLeader);
        successor.runtime.start();
        until(() -> old.okWrites() >= 2);

        Instant dark = Instant.now();
        proxy.stall();
        assertThat(old.exited.await(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            .as("the old leader fenced itself")
            .isTrue();
        until(() -> successor.okWrites() >= 1);

        Write lastOld =
            writes.stream().filter(w -> w.who().equals("old")).reduce((a, b) -> b).get();
        Write firstNew =
            writes.stream().filter(w -> w.who().equals("successor")).findFirst().orElseThrow();
        Lease lease = ns.client().leases().inNamespace(ns.name()).withName("fencing").get();
        Instant acquired = lease.getSpec().getAcquireTime().toInstant();
        System.out.printf(
            "[figures] fencing: dark -> fenced %d ms (renew deadline %d ms), fence took %d ms and killed %d"
                + " kopia in flight; old leader's last write ended %d ms after dark; successor"
                + " acquired %d ms after dark, first write %d ms after the old leader's last ended"
                + " (2 cores shared with other helpers: noisy)%n",
            Duration.between(dark, old.fencedAt.get()).toMillis(),
            TIMING.renewDeadline().toMillis(),
            Duration.between(old.fencedAt.get(), old.fenceDone.get()).toMillis(),
            old.killed.get(),
            Duration.between(dark, lastOld.end()).toMillis(),
            Duration.between(dark, acquired).toMillis(),
            Duration.between(lastOld.end(), firstNew.start()).toMillis());

        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("successor");
        assertThat(lastOld.end()).isBefore(firstNew.start());
        assertThat(lastOld.end())
            .as("old leader's last write vs the Lease's acquireTime")
            .isBefore(acquired);
        assertThat(old.fenceDone.get()).isBefore(acquired);
        assertThat(old.processes.runningCount()).isZero();
        assertThat(kopiaChildrenUsing(old.config))
            .as("kopia processes of the old leader")
            .isEmpty();
        // And it stays fenced: no write of the old leader starts after the fence.
        assertThat(writes)
            .filteredOn(w -> w.who().equals("old") && w.start().isAfter(old.fenceDone.get()))
            .isEmpty();
      } finally {
        proxy.resume();
        successor.runtime.close();
        old.runtime.close();
      }
    }
  }

  static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE);
      }
      Thread.sleep(20);
    }
  }

  private static List<ProcessHandle> kopiaChildrenUsing(Path config) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().arguments().stream()
                    .flatMap(java.util.Arrays::stream)
                    .anyMatch(a -> a.contains(config.toString())))
        .toList();
  }

  private static final class Candidate {
    final String who;
    final Path config;
    final ProcessKopiaRunner processes;
    final FencedKopiaRunner fenced;
    final ControllerRuntime runtime;
    final CountDownLatch exited = new CountDownLatch(1);
    final AtomicReference<Instant> fencedAt = new AtomicReference<>();
    final AtomicReference<Instant> fenceDone = new AtomicReference<>();
    final AtomicInteger killed = new AtomicInteger();
    final List<Write> writes;

    Candidate(
        String who,
        KubernetesClient client,
        TestNamespace ns,
        KopiaSandbox kopia,
        Path repository,
        Path source,
        List<Write> writes) {
      this.who = who;
      this.writes = writes;
      this.config = kopia.newDir("config-" + who).resolve("repository.config");
      this.processes = new ProcessKopiaRunner(kopia.binary());
      this.fenced = new FencedKopiaRunner(processes);
      var env = Map.of("KOPIA_CACHE_DIRECTORY", kopia.newDir("cache-" + who).toString());
      fenced.run(
          KopiaCommand.of(
                  List.of(
                      "--config-file=" + config,
                      "repository",
                      "connect",
                      "filesystem",
                      "--path=" + repository))
              .withEnvironment(env, Map.of("KOPIA_PASSWORD", PASSWORD)));
      this.runtime =
          ControllerRuntime.builder(client)
              .watchNamespace(ns.name())
              .leaderElection(
                  new LeaderElectionSettings(
                      ns.name(),
                      "fencing",
                      who,
                      TIMING.leaseDuration(),
                      TIMING.renewDeadline(),
                      TIMING.retryPeriod()))
              .fenceOnLeadershipLost(
                  () -> {
                    fencedAt.set(Instant.now());
                    killed.set(fenced.fence());
                    fenceDone.set(Instant.now());
                  })
              .onLeadershipLost(exited::countDown)
              .build();
      runtime
          .newController(ConfigMap.class)
          .named("writer-" + who)
          .complete(
              request -> {
                Instant start = Instant.now();
                String outcome = "ok";
                try {
                  fenced.run(
                      KopiaCommand.of(
                              List.of(
                                  "--config-file=" + config,
                                  "snapshot",
                                  "create",
                                  source.toString()))
                          .withEnvironment(env, Map.of("KOPIA_PASSWORD", PASSWORD)));
                } catch (RuntimeException e) {
                  outcome = e.getClass().getSimpleName();
                }
                writes.add(new Write(who, start, Instant.now(), outcome));
                return Result.requeueAfter(Duration.ofMillis(20));
              });
    }

    long okWrites() {
      return writes.stream().filter(w -> w.who().equals(who) && w.outcome().equals("ok")).count();
    }
  }
}
