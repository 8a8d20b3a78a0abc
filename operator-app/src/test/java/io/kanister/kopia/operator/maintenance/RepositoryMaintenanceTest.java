package io.kanister.kopia.operator.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.MaintenanceCommands.Safety;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.model.repository.MaintenanceSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduling decisions of one pass, with a recording kopia runner and an in-memory lock; the
 * real kopia, storage and Lease are in {@link MaintenanceIT}.
 */
class RepositoryMaintenanceTest {
  private static final String SELF = "kopia-operator@kanister.repo";
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path work;
  private volatile Instant now = NOW;
  private final RecordingMaintenanceRunner runner = new RecordingMaintenanceRunner();
  private final List<String> events = new ArrayList<>();
  private final AtomicInteger enqueued = new AtomicInteger();
  private final CountDownLatch ended = new CountDownLatch(1);
  private RepositoryMaintenance maintenance;

  private final java.util.concurrent.atomic.AtomicBoolean leading =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  private RepositoryMaintenance maintenance(MaintenanceLock lock) {
    MaintenanceEvents recorded =
        new MaintenanceEvents() {
          @Override
          public void normal(Repository repository, String reason, String message) {
            events.add("Normal " + reason);
          }

          @Override
          public void warning(Repository repository, String reason, String message) {
            events.add("Warning " + reason);
          }
        };
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    MaintenanceExecutor executor =
        new MaintenanceExecutor(
            lock,
            new MaintenanceOptions(Duration.ofHours(6), Safety.FULL, 1, Duration.ofSeconds(4)),
            recorded,
            new MaintenanceMetrics(new SimpleMeterRegistry()),
            leading::get,
            clock);
    maintenance = new RepositoryMaintenance(executor, recorded, clock);
    maintenance.whenRunEnds(
        r -> {
          enqueued.incrementAndGet();
          ended.countDown();
        });
    return maintenance;
  }

  @AfterEach
  void close() {
    if (maintenance != null) {
      maintenance.close();
    }
  }

  @Test
  void aDueFullRunIsHandedOverAndReportedWhenItEnds() throws Exception {
    RepositoryMaintenance m = maintenance(freeLock());
    Repository repository = repository(null);

    MaintenanceReport first = m.check(repository, kopia(), SELF);

    assertThat(first.status().getRunning()).isEqualTo("full");
    assertThat(first.status().getOwnedByOperator()).isTrue();
    assertThat(first.condition().orElseThrow().getReason()).isEqualTo("Scheduled");
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.verbs()).containsExactly("maintenance info", "maintenance run");
    assertThat(runner.commands.get(1).args()).contains("--full", "--safety=full");
    assertThat(runner.commands.get(1).timeout()).isEqualTo(Duration.ofHours(6));
    assertThat(enqueued).hasValue(1);

    runner.nextFull = NOW.plus(Duration.ofHours(24));
    runner.nextQuick = NOW.plus(Duration.ofHours(1));
    MaintenanceReport after = m.check(repository, kopia(), SELF);
    assertThat(after.status().getLastFull().getResult()).isEqualTo("Succeeded");
    assertThat(after.status().getRunning()).isNull();
    assertThat(after.condition().orElseThrow().getReason()).isEqualTo("Succeeded");
    assertThat(after.requeueAfter()).contains(Duration.ofHours(1).plusSeconds(1));
  }

  @Test
  void quickRunsWhenOnlyQuickIsDue() throws Exception {
    runner.nextFull = NOW.plus(Duration.ofHours(3));
    RepositoryMaintenance m = maintenance(freeLock());

    MaintenanceReport report = m.check(repository(null), kopia(), SELF);

    assertThat(report.status().getRunning()).isEqualTo("quick");
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.commands.get(1).args()).doesNotContain("--full");
  }

  @Test
  void nothingRunsWhenNothingIsDueAndTheNextPassComesWhenItIs() {
    runner.nextQuick = NOW.plus(Duration.ofMinutes(20));
    runner.nextFull = NOW.plus(Duration.ofHours(5));
    RepositoryMaintenance m = maintenance(freeLock());

    MaintenanceReport report = m.check(repository(null), kopia(), SELF);
    m.check(repository(null), kopia(), SELF);

    // The second pass uses what the first read: no kopia at all.
    assertThat(runner.verbs()).containsExactly("maintenance info");
    assertThat(report.status().getRunning()).isNull();
    assertThat(report.status().getNextQuick())
        .isEqualTo(NOW.plus(Duration.ofMinutes(20)).toString());
    assertThat(report.requeueAfter()).contains(Duration.ofMinutes(20).plusSeconds(1));
  }

  @Test
  void anOwnedScheduleIsNotReadAgainWhileItsManifestIsUnchanged() throws Exception {
    runner.nextQuick = NOW.plus(Duration.ofHours(2));
    runner.nextFull = NOW.plus(Duration.ofHours(20));
    RepositoryMaintenance m = maintenance(freeLock());

    m.check(repository(null), kopia(), SELF, java.util.Optional.of("manifest-1"));
    now = NOW.plus(RepositoryMaintenance.INFO_TTL).plus(Duration.ofMinutes(20));
    MaintenanceReport later =
        m.check(repository(null), kopia(), SELF, java.util.Optional.of("manifest-1"));
    // Past the TTL, but the operator owns maintenance and its parameters are the ones read.
    assertThat(runner.verbs()).containsExactly("maintenance info");
    assertThat(later.status().getNextQuick()).isEqualTo(runner.nextQuick.toString());

    // Someone ran maintenance set: a new manifest, read at once.
    m.check(repository(null), kopia(), SELF, java.util.Optional.of("manifest-2"));
    assertThat(runner.verbs()).containsExactly("maintenance info", "maintenance info");

    // The run falls due at the time that read said, without another read; it starts.
    now = runner.nextQuick.plusSeconds(1);
    MaintenanceReport due =
        m.check(repository(null), kopia(), SELF, java.util.Optional.of("manifest-2"));
    assertThat(due.status().getRunning()).isEqualTo("quick");
    assertThat(ended.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(runner.verbs())
        .containsExactly("maintenance info", "maintenance info", "maintenance run");
  }

  @Test
  void aForeignOwnersScheduleIsReadAgainAfterTheTtlEvenWithAnUnchangedManifest() {
    runner.owner = "velero@node-1";
    RepositoryMaintenance m = maintenance(freeLock());

    m.check(repository(null), kopia(), SELF, java.util.Optional.of("manifest-1"));
    m.check(repository(null), kopia(), SELF, java.util.Optional.of("manifest-1"));
    assertThat(runner.verbs()).containsExactly("maintenance info");
    // Its runs move the schedule without a new manifest.
    now = NOW.plus(RepositoryMaintenance.INFO_TTL).plusSeconds(1);
    m.check(repository(null), kopia(), SELF, java.util.Optional.of("manifest-1"));
    assertThat(runner.verbs()).containsExactly("maintenance info", "maintenance info");
  }

  @Test
  void disabledRunsNoKopia() {
    MaintenanceSpec spec = new MaintenanceSpec();
    spec.setEnabled(false);
    RepositoryMaintenance m = maintenance(freeLock());

    MaintenanceReport report = m.check(repository(spec), kopia(), SELF);

    assertThat(runner.commands).isEmpty();
    assertThat(report.condition().orElseThrow().getStatus()).isEqualTo("Unknown");
    assertThat(report.condition().orElseThrow().getReason()).isEqualTo("Disabled");
  }

  @Test
  void aForeignOwnerIsReportedNotTakenOver() {
    runner.owner = "velero@node-1";
    RepositoryMaintenance m = maintenance(freeLock());

    MaintenanceReport report = m.check(repository(null), kopia(), SELF);

    assertThat(runner.verbs()).containsExactly("maintenance info");
    assertThat(report.status().getOwner()).isEqualTo("velero@node-1");
    assertThat(report.status().getOwnedByOperator()).isFalse();
    assertThat(report.condition().orElseThrow().getReason()).isEqualTo("ForeignOwner");
    assertThat(report.condition().orElseThrow().getMessage())
        .contains("velero@node-1", "spec.maintenance.takeOver");
    assertThat(events).containsExactly("Warning MaintenanceForeignOwner");
  }

  @Test
  void takeOverClaimsOwnershipWithTheSpecIntervalsThenRuns() throws Exception {
    runner.owner = "velero@node-1";
    MaintenanceSpec spec = new MaintenanceSpec();
    spec.setTakeOver(true);
    spec.setQuickInterval("30m");
    spec.setFullInterval("12h");
    RepositoryMaintenance m = maintenance(freeLock());

    MaintenanceReport report = m.check(repository(spec), kopia(), SELF);

    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.verbs())
        .containsExactly(
            "maintenance info", "maintenance set", "maintenance info", "maintenance run");
    assertThat(runner.commands.get(1).args())
        .contains("--owner=" + SELF, "--quick-interval=30m", "--full-interval=12h");
    assertThat(report.status().getOwner()).isEqualTo(SELF);
    assertThat(events).containsExactly("Normal MaintenanceOwnerSet");
  }

  @Test
  void aRunInFlightIsNotStartedAgain() throws Exception {
    runner.runGate = new CountDownLatch(1);
    RepositoryMaintenance m = maintenance(freeLock());
    Repository repository = repository(null);

    m.check(repository, kopia(), SELF);
    assertThat(runner.runStarted.await(10, TimeUnit.SECONDS)).isTrue();
    // Kopia's schedule still says due (as if it had not moved): the guard alone stops a second.
    MaintenanceReport again = m.check(repository, kopia(), SELF);

    assertThat(again.status().getRunning()).isEqualTo("full");
    runner.runGate.countDown();
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.verbs().stream().filter(v -> v.equals("maintenance run"))).hasSize(1);
  }

  @Test
  void aLeaseHeldElsewhereStartsNoKopia() throws Exception {
    RepositoryMaintenance m =
        maintenance(repository -> new MaintenanceLock.Attempt(Optional.empty(), "operator-b"));
    Repository repository = repository(null);

    m.check(repository, kopia(), SELF);
    Thread.sleep(300); // the executor tries the lock off this thread
    MaintenanceReport report = m.check(repository, kopia(), SELF);

    assertThat(runner.verbs()).doesNotContain("maintenance run");
    assertThat(report.status().getRunning()).isEqualTo("elsewhere");
    assertThat(enqueued).hasValue(0);
  }

  @Test
  void aRunStopsWhenThisReplicaStopsLeading() throws Exception {
    runner.runGate = new CountDownLatch(1);
    RepositoryMaintenance m = maintenance(freeLock());
    Repository repository = repository(null);

    m.check(repository, kopia(), SELF);
    assertThat(runner.runStarted.await(10, TimeUnit.SECONDS)).isTrue();
    leading.set(false);

    // The next Lease renewal (every second here) sees it and stops kopia.
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    MaintenanceReport report = m.check(repository, kopia(), SELF);
    assertThat(report.status().getLastFull().getResult()).isEqualTo("Cancelled");
    assertThat(report.status().getLastFull().getMessage()).contains("stopped leading");
    assertThat(report.condition().orElseThrow().getReason()).isEqualTo("Cancelled");
  }

  @Test
  void shuttingDownStopsARunningMaintenance() throws Exception {
    runner.runGate = new CountDownLatch(1);
    RepositoryMaintenance m = maintenance(freeLock());

    m.check(repository(null), kopia(), SELF);
    assertThat(runner.runStarted.await(10, TimeUnit.SECONDS)).isTrue();
    m.close();

    // close() returns once the run has ended (kopia stopped, the lock released).
    assertThat(ended.getCount()).isZero();
  }

  @Test
  void aBadIntervalIsReportedAndChangesNothing() {
    MaintenanceSpec spec = new MaintenanceSpec();
    spec.setQuickInterval("0h0m30s");
    RepositoryMaintenance m = maintenance(freeLock());

    MaintenanceReport report = m.check(repository(spec), kopia(), SELF);

    assertThat(runner.commands).isEmpty();
    assertThat(report.condition().orElseThrow().getReason()).isEqualTo("InvalidSpec");
    assertThat(report.condition().orElseThrow().getMessage())
        .contains("spec.maintenance.quickInterval", "at least 1m");
  }

  @Test
  void aFailedRunMakesTheConditionFalseUntilASuccess() {
    var status = new io.kanister.kopia.model.repository.MaintenanceStatus();
    status.setLastFull(
        new io.kanister.kopia.model.repository.MaintenanceRunStatus(
            "2026-12-01T10:00:00Z", "2026-12-01T10:05:00Z", "Failed", "storage unreachable"));
    status.setLastQuick(
        new io.kanister.kopia.model.repository.MaintenanceRunStatus(
            "2026-12-01T11:00:00Z",
            "2026-12-01T11:01:00Z",
            "Succeeded",
            "quick maintenance finished"));
    assertThat(RepositoryMaintenance.health(status).getStatus()).isEqualTo("False");
    assertThat(RepositoryMaintenance.health(status).getMessage()).contains("storage unreachable");

    status.setLastFull(
        new io.kanister.kopia.model.repository.MaintenanceRunStatus(
            "2026-12-01T11:30:00Z",
            "2026-12-01T11:40:00Z",
            "Succeeded",
            "full maintenance finished"));
    assertThat(RepositoryMaintenance.health(status).getStatus()).isEqualTo("True");
  }

  private Kopia kopia() {
    return Kopia.open(runner, new KopiaWorkspace(work), SecretValue.of("repository-password-1"));
  }

  private static MaintenanceLock freeLock() {
    return repository ->
        new MaintenanceLock.Attempt(
            Optional.of(
                new MaintenanceLock.Held() {
                  @Override
                  public boolean renew() {
                    return true;
                  }

                  @Override
                  public void release() {}

                  @Override
                  public String name() {
                    return "in-memory";
                  }
                }),
            null);
  }

  private static Repository repository(MaintenanceSpec maintenance) {
    Repository repository = new Repository();
    repository.getMetadata().setName("repo");
    repository.getMetadata().setNamespace("kanister");
    repository.getMetadata().setUid("uid-1");
    RepositorySpec spec = new RepositorySpec();
    spec.setMaintenance(maintenance);
    repository.setSpec(spec);
    repository.setStatus(new RepositoryStatus());
    return repository;
  }
}
