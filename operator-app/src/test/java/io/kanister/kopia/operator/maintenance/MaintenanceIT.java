package io.kanister.kopia.operator.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.events.EventRecorder;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.command.MaintenanceCommands;
import io.kanister.kopia.core.command.MaintenanceCommands.Safety;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.output.ManifestList;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Maintenance on real parts: the real kopia on filesystem storage, the real API server for the
 * Repository, its status schema and the maintenance Lease.
 */
@RealKopia
@RealKubernetes
class MaintenanceIT {
  private static final SecretValue PASSWORD = SecretValue.of("maintenance-it-password-1");

  @Test
  void fullMaintenanceByTheOperatorFreesTheSpaceOfDeletedSnapshots(
      KopiaSandbox sandbox, TestNamespace ns) throws Exception {
    KubernetesClient kube = ns.client();
    RepositoryCrdInstall.shipped(kube);
    Repository repository = kube.resource(repository(ns.name(), "repo-gc")).create();
    Path storage = sandbox.newDir("storage-gc");
    ProcessKopiaRunner process = new ProcessKopiaRunner(sandbox.binary());
    List<String> operatorVerbs = new java.util.concurrent.CopyOnWriteArrayList<>();
    KopiaRunner counting =
        command -> {
          operatorVerbs.add(command.verb());
          return process.run(command);
        };
    Kopia operator = operatorConnection(sandbox, counting, storage, repository, "operator");

    // A client (another identity, its own direct connection) writes snapshots, then deletes them.
    Kopia client =
        Kopia.open(process, KopiaWorkspace.create(sandbox.newDir("ws"), "client"), PASSWORD);
    client.ensureRepository(
        FilesystemLocation.of(storage.toString()), new ClientIdentity("app", "workload"));
    Path source = sandbox.newDir("source");
    List<String> ids = new java.util.ArrayList<>();
    for (int round = 0; round < 2; round++) {
      writeRandom(source.resolve("data.bin"), 12 * 1024 * 1024, round);
      ids.add(client.snapshot(source, Map.of()).id());
    }
    ids.forEach(client::deleteSnapshot);
    assertThat(client.snapshots(source)).isEmpty();
    long before = bytes(storage);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CountDownLatch ended = new CountDownLatch(1);
    try (RepositoryMaintenance maintenance =
        RepositoryMaintenance.create(
            kube,
            "operator-pod-a",
            new MaintenanceOptions(Duration.ofMinutes(10), Safety.NONE, 1, Duration.ofSeconds(20)),
            new EventRecorder(kube, "kopia-operator", "maintenance-it", Clock.systemUTC()),
            registry,
            () -> true,
            Clock.systemUTC())) {
      maintenance.whenRunEnds(r -> ended.countDown());
      String self = self(repository);

      MaintenanceReport first = maintenance.check(repository, operator, self);
      assertThat(first.status().getRunning()).isEqualTo("full");
      assertThat(ended.await(5, TimeUnit.MINUTES)).isTrue();
      MaintenanceReport after = maintenance.check(repository, operator, self);
      long afterBytes = bytes(storage);
      System.out.println("[figures] maintenance: bytes before " + before + " after " + afterBytes);

      assertThat(after.status().getLastFull().getResult()).isEqualTo("Succeeded");
      assertThat(after.status().getOwner()).isEqualTo(self);
      assertThat(after.condition().orElseThrow().getReason()).isEqualTo("Succeeded");
      assertThat(afterBytes).isLessThan(before / 4);
      assertThat(after.status().getNextFull()).isNotNull();
      assertThat(registry.scrape())
          .contains("kopia_maintenance_last_success_timestamp_seconds{")
          .contains("kopia_maintenance_last_duration_seconds{")
          .contains("kopia_maintenance_runs_total{");

      // With each pass's manifest list: the owned schedule is read once for the listed
      // maintenance manifest, then not again while it is unchanged.
      String listed = operator.manifests().digest(ManifestList.MAINTENANCE);
      int mark = operatorVerbs.size();
      maintenance.check(repository, operator, self, Optional.of(listed));
      maintenance.check(repository, operator, self, Optional.of(listed));
      assertThat(maintenanceVerbs(operatorVerbs, mark)).containsExactly("maintenance info");
      // Another client changes the intervals: a new manifest, read and set back at the next check.
      client.run(
          MaintenanceCommands.set(
              Optional.empty(), Optional.of(Duration.ofHours(5)), Optional.empty()));
      String changed = operator.manifests().digest(ManifestList.MAINTENANCE);
      assertThat(changed).isNotEqualTo(listed);
      mark = operatorVerbs.size();
      maintenance.check(repository, operator, self, Optional.of(changed));
      assertThat(maintenanceVerbs(operatorVerbs, mark))
          .containsExactly("maintenance info", "maintenance set", "maintenance info");
      assertThat(operator.maintenanceInfo().quick().interval()).isEqualTo(Duration.ofHours(1));

      // The status schema keeps every field the operator writes.
      repository.setStatus(new RepositoryStatus());
      repository.getStatus().setMaintenance(after.status());
      kube.resource(repository).updateStatus();
      Repository stored = kube.resource(repository).get();
      assertThat(stored.getStatus().getMaintenance()).isEqualTo(after.status());
      Lease lease =
          kube.leases().inNamespace(ns.name()).withName("kopia-maintenance-repo-gc").get();
      assertThat(lease.getSpec().getHolderIdentity()).as("released after the run").isNull();
    }
  }

  @Test
  void aSecondReplicaStartsNoRunWhileTheLeaseIsHeldAndRenewed(
      KopiaSandbox sandbox, TestNamespace ns) throws Exception {
    KubernetesClient kube = ns.client();
    RepositoryCrdInstall.shipped(kube);
    Repository repository = kube.resource(repository(ns.name(), "repo-lease")).create();
    Path storage = sandbox.newDir("storage-lease");
    ProcessKopiaRunner process = new ProcessKopiaRunner(sandbox.binary());
    GatedRunner gatedA = new GatedRunner(process);
    GatedRunner recordedB = new GatedRunner(process);
    recordedB.gate.countDown();
    Kopia kopiaA = operatorConnection(sandbox, gatedA, storage, repository, "replica-a");
    Kopia kopiaB = operatorConnection(sandbox, recordedB, storage, repository, "replica-b");
    Duration leaseDuration = Duration.ofSeconds(6);
    MaintenanceOptions options =
        new MaintenanceOptions(Duration.ofMinutes(10), Safety.NONE, 1, leaseDuration);
    String self = self(repository);
    CountDownLatch aEnded = new CountDownLatch(1);
    try (RepositoryMaintenance a = replica(kube, "operator-a", options);
        RepositoryMaintenance b = replica(kube, "operator-b", options)) {
      a.whenRunEnds(r -> aEnded.countDown());

      assertThat(a.check(repository, kopiaA, self).status().getRunning()).isEqualTo("full");
      assertThat(gatedA.started.await(1, TimeUnit.MINUTES)).isTrue();
      // B sees the run as due too if it reads before Kopia moved the schedule: only the Lease
      // stops it. Ask B until it has tried the Lease.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String bRunning = null;
      while (System.nanoTime() < deadline && !"elsewhere".equals(bRunning)) {
        bRunning = b.check(repository, kopiaB, self).status().getRunning();
        Thread.sleep(200);
      }
      assertThat(bRunning).as("B tried the Lease and found it held").isEqualTo("elsewhere");
      // Longer than the Lease lasts: A's renewals keep it, so a third party is refused too.
      Thread.sleep(leaseDuration.plusSeconds(2).toMillis());
      MaintenanceLock.Attempt late =
          new MaintenanceLeases(kube, "operator-c", leaseDuration, Clock.systemUTC())
              .tryAcquire(repository);
      assertThat(late.held()).isEmpty();
      assertThat(late.otherHolder()).isEqualTo("operator-a");
      assertThat(recordedB.runs()).as("replica B never ran maintenance").isEmpty();

      gatedA.gate.countDown();
      assertThat(aEnded.await(2, TimeUnit.MINUTES)).isTrue();
      assertThat(gatedA.runs()).hasSize(1);
      MaintenanceLock.Attempt afterRelease =
          new MaintenanceLeases(kube, "operator-c", leaseDuration, Clock.systemUTC())
              .tryAcquire(repository);
      assertThat(afterRelease.held()).as("free as soon as A released it").isPresent();
      afterRelease.held().get().release();
    }
  }

  @Test
  void aHolderThatStopsRenewingLosesTheLeaseAfterItsDuration(TestNamespace ns) throws Exception {
    KubernetesClient kube = ns.client();
    RepositoryCrdInstall.shipped(kube);
    Repository repository = kube.resource(repository(ns.name(), "repo-failover")).create();
    Duration leaseDuration = Duration.ofSeconds(4);
    MaintenanceLeases crashed =
        new MaintenanceLeases(kube, "operator-crashed", leaseDuration, Clock.systemUTC());
    MaintenanceLeases successor =
        new MaintenanceLeases(kube, "operator-new-leader", leaseDuration, Clock.systemUTC());

    assertThat(crashed.tryAcquire(repository).held()).isPresent();
    assertThat(successor.tryAcquire(repository).otherHolder()).isEqualTo("operator-crashed");
    Thread.sleep(leaseDuration.plusSeconds(2).toMillis());

    assertThat(successor.tryAcquire(repository).held()).isPresent();
    assertThat(successor.currentHolder(repository)).contains("operator-new-leader");
  }

  private static RepositoryMaintenance replica(
      KubernetesClient kube, String pod, MaintenanceOptions options) {
    return RepositoryMaintenance.create(
        kube,
        pod,
        options,
        new EventRecorder(kube, "kopia-operator", pod, Clock.systemUTC()),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        () -> true,
        Clock.systemUTC());
  }

  /** The operator's direct connection, as the reconciler makes it, through the wired runner. */
  private static Kopia operatorConnection(
      KopiaSandbox sandbox, KopiaRunner runner, Path storage, Repository repository, String ws) {
    Kopia kopia =
        Kopia.open(
            new NoAutoMaintenanceRunner(runner),
            KopiaWorkspace.create(sandbox.newDir("ws"), ws),
            PASSWORD);
    kopia.ensureRepository(
        FilesystemLocation.of(storage.toString()),
        new ClientIdentity(
            "kopia-operator",
            repository.getMetadata().getNamespace() + "." + repository.getMetadata().getName()));
    return kopia;
  }

  private static List<String> maintenanceVerbs(List<String> verbs, int from) {
    return verbs.subList(from, verbs.size()).stream()
        .filter(v -> v.startsWith("maintenance"))
        .toList();
  }

  private static String self(Repository repository) {
    return "kopia-operator@"
        + repository.getMetadata().getNamespace()
        + "."
        + repository.getMetadata().getName();
  }

  /** Real kopia; {@code maintenance run} waits for {@link #gate} first. */
  private static final class GatedRunner implements KopiaRunner {
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch started = new CountDownLatch(1);
    private final List<KopiaCommand> maintenanceRuns = new CopyOnWriteArrayList<>();
    private final KopiaRunner delegate;

    GatedRunner(KopiaRunner delegate) {
      this.delegate = delegate;
    }

    @Override
    public KopiaResult run(KopiaCommand command) {
      if (command.args().size() > 1
          && command.args().get(0).equals("maintenance")
          && command.args().get(1).equals("run")) {
        maintenanceRuns.add(command);
        started.countDown();
        try {
          gate.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new io.kanister.kopia.core.exec.KopiaCancelledException(command.verb());
        }
      }
      return delegate.run(command);
    }

    List<KopiaCommand> runs() {
      return maintenanceRuns;
    }
  }

  private static Repository repository(String namespace, String name) {
    Repository repository = new Repository();
    repository.getMetadata().setName(name);
    repository.getMetadata().setNamespace(namespace);
    RepositorySpec spec = new RepositorySpec();
    LocationSpec location = new LocationSpec();
    location.setSecretName(name + "-location");
    spec.setLocation(location);
    repository.setSpec(spec);
    return repository;
  }

  private static void writeRandom(Path file, int size, long seed) throws IOException {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    Files.write(file, data);
  }

  private static long bytes(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
