package io.kanister.kopia.operator.maintenance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.MaintenanceCommands;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.output.MaintenanceInfo;
import io.kanister.kopia.model.repository.MaintenanceRunStatus;
import io.kanister.kopia.model.repository.MaintenanceStatus;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryConditionTypes;
import io.kanister.kopia.model.status.Condition;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The maintenance step of a reconcile pass (leader only): makes the operator's identity the
 * maintenance owner, keeps Kopia's intervals equal to {@code spec.maintenance}, hands a due run to
 * the {@link MaintenanceExecutor}, and reports owner, runs and next due times.
 *
 * <p>Kopia's schedule is read with {@code maintenance info} on first sight, after a run ended, when
 * the spec changed, or when the maintenance parameters' manifest changed (someone ran {@code
 * maintenance set}). While the operator owns maintenance nobody else runs it, so the schedule read
 * then stays true until its own next run: a resync in between runs no kopia at all. Without a
 * manifest digest, or while another client owns maintenance (its runs move the schedule without a
 * new manifest), the read is repeated at most once per {@link #INFO_TTL}.
 */
public final class RepositoryMaintenance implements AutoCloseable {
  static final String CONDITION = RepositoryConditionTypes.MAINTENANCE_HEALTHY;
  static final Duration INFO_TTL = Duration.ofMinutes(10);
  static final Duration BUSY_RECHECK = Duration.ofMinutes(1);

  private final MaintenanceExecutor executor;
  private final MaintenanceEvents events;
  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  /**
   * Kopia's maintenance parameters and schedule as last read, and for which settings.
   *
   * @param manifest the maintenance manifest's digest the read matches; empty when unknown or when
   *     this read's own {@code maintenance set} made a new one
   */
  private record Known(
      MaintenanceSettings settings,
      MaintenanceInfo info,
      Instant readAt,
      Optional<String> manifest) {}

  RepositoryMaintenance(MaintenanceExecutor executor, MaintenanceEvents events, Clock clock) {
    this.executor = executor;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @param holder this operator process (pod name): the holder of the maintenance Leases
   * @param leading whether this process leads; a run stops when it stops leading
   */
  public static RepositoryMaintenance create(
      KubernetesClient client,
      String holder,
      MaintenanceOptions options,
      EventRecorder events,
      MeterRegistry registry,
      BooleanSupplier leading,
      Clock clock) {
    MaintenanceExecutor executor =
        new MaintenanceExecutor(
            new MaintenanceLeases(client, holder, options.leaseDuration(), clock),
            options,
            MaintenanceEvents.of(events),
            new MaintenanceMetrics(registry),
            leading,
            clock);
    return new RepositoryMaintenance(executor, MaintenanceEvents.of(events), clock);
  }

  /** Where a Repository goes when its run ends: the controller's queue, so status shows it. */
  public void whenRunEnds(Consumer<Request> enqueue) {
    executor.whenDone(enqueue);
  }

  /**
   * Checks one Repository whose Kopia repository is connected.
   *
   * @param kopia the operator's direct connection to it
   * @param self the operator's Kopia identity for it ({@code kopia-operator@<ns>.<name>})
   */
  public MaintenanceReport check(Repository repository, Kopia kopia, String self) {
    return check(repository, kopia, self, Optional.empty());
  }

  /**
   * As above, with the digest of the maintenance manifest this pass listed ({@code manifest list}):
   * while it is the one of the last read, an owned schedule is not read again.
   */
  public MaintenanceReport check(
      Repository repository, Kopia kopia, String self, Optional<String> manifest) {
    String uid = MaintenanceExecutor.uid(repository);
    executor.seedMetrics(repository);
    MaintenanceStatus status = startingStatus(repository, uid);
    MaintenanceSettings.Parsed parsed =
        MaintenanceSettings.of(repository.getSpec().getMaintenance());
    if (parsed.settings().isEmpty()) {
      return report(
          condition(
              Condition.FALSE,
              "InvalidSpec",
              String.join("; ", parsed.problems())
                  + ". Fix spec.maintenance; no maintenance setting was changed."),
          status,
          null);
    }
    MaintenanceSettings settings = parsed.settings().get();
    if (!settings.enabled()) {
      status.setNextQuick(null);
      status.setNextFull(null);
      return report(
          condition(
              Condition.UNKNOWN,
              "Disabled",
              "spec.maintenance.enabled is false: the operator runs no maintenance, so deleted"
                  + " snapshots free no storage"),
          status,
          null);
    }
    Known current;
    try {
      current = current(repository, uid, kopia, self, settings, manifest);
    } catch (KopiaCancelledException e) {
      throw e;
    } catch (RuntimeException e) {
      // Kopia's messages are secret-free; anything else (unreadable output) shows only its type.
      known.remove(uid);
      return report(
          condition(
              Condition.UNKNOWN,
              "CheckFailed",
              "cannot read or set the maintenance schedule: "
                  + (e instanceof KopiaException ? e.getMessage() : e.getClass().getSimpleName())),
          status,
          BUSY_RECHECK);
    }
    MaintenanceInfo info = current.info();
    status.setOwner(info.owner().orElse(null));
    status.setNextQuick(info.nextQuickMaintenance().map(Instant::toString).orElse(null));
    status.setNextFull(info.nextFullMaintenance().map(Instant::toString).orElse(null));
    if (MaintenanceSchedule.ownership(settings, info.owner(), self)
        != MaintenanceSchedule.Ownership.OWNED) {
      return foreign(repository, status, info.owner().orElse("(nobody)"));
    }
    status.setOwnedByOperator(true);
    Instant now = clock.instant();
    Duration requeue = null;
    Optional<MaintenanceExecutor.Elsewhere> elsewhere = executor.heldElsewhere(uid);
    Optional<MaintenanceMode> due = MaintenanceSchedule.due(settings, info, now);
    if (elsewhere.isPresent()) {
      status.setRunning("elsewhere");
      requeue = Duration.between(now, elsewhere.get().until()).plusSeconds(1);
    } else if (due.isPresent() && status.getRunning() == null) {
      switch (executor.submit(repository, kopia, due.get())) {
        case STARTED -> {
          status.setRunning(due.get().label());
          // Kopia moves its schedule forward as the run starts: read it again next pass.
          known.remove(uid);
        }
        case BUSY -> requeue = BUSY_RECHECK;
        case ALREADY_RUNNING -> status.setRunning(due.get().label());
      }
    } else if (due.isEmpty()) {
      requeue =
          MaintenanceSchedule.nextDue(info)
              .map(next -> Duration.between(now, next).plusSeconds(1))
              .filter(d -> !d.isNegative())
              .orElse(null);
    }
    return report(health(status), status, requeue);
  }

  /** How many Repositories' schedules are held. */
  public int size() {
    return known.size();
  }

  /** Stops a deleted Repository's run and forgets it. */
  public void forget(Repository repository) {
    known.remove(MaintenanceExecutor.uid(repository));
    executor.forget(repository);
  }

  @Override
  public void close() {
    executor.close();
  }

  /** The last read, or a new one that also claims ownership and sets the intervals if needed. */
  private Known current(
      Repository repository,
      String uid,
      Kopia kopia,
      String self,
      MaintenanceSettings settings,
      Optional<String> manifest) {
    Known last = known.get(uid);
    Instant now = clock.instant();
    boolean ranSince =
        last != null
            && executor.lastRuns(uid).map(r -> r.lastEnd().isAfter(last.readAt())).orElse(false);
    if (last != null
        && last.settings().equals(settings)
        && !ranSince
        && stillTrue(last, manifest, self, now)) {
      return last;
    }
    MaintenanceInfo info = kopia.maintenanceInfo();
    MaintenanceSchedule.Ownership ownership =
        MaintenanceSchedule.ownership(settings, info.owner(), self);
    Optional<String> readFor = manifest;
    if (ownership == MaintenanceSchedule.Ownership.CLAIM
        || (ownership == MaintenanceSchedule.Ownership.OWNED
            && MaintenanceSchedule.intervalsDiffer(settings, info))) {
      kopia.run(
          MaintenanceCommands.set(
              ownership == MaintenanceSchedule.Ownership.CLAIM
                  ? Optional.of(self)
                  : Optional.empty(),
              Optional.of(settings.quickInterval()),
              Optional.of(settings.fullInterval())));
      if (ownership == MaintenanceSchedule.Ownership.CLAIM) {
        events.normal(
            repository,
            "MaintenanceOwnerSet",
            "the operator ("
                + self
                + ") now owns this repository's maintenance"
                + info.owner()
                    .filter(o -> !o.isBlank())
                    .map(o -> ", taken over from " + o + " as spec.maintenance.takeOver asks")
                    .orElse(""));
      }
      info = kopia.maintenanceInfo();
      // The set made a new manifest this pass's listing did not see.
      readFor = Optional.empty();
    }
    Known fresh = new Known(settings, info, now, readFor);
    known.put(uid, fresh);
    return fresh;
  }

  /**
   * Whether the last read still describes Kopia. With a listing, only while the maintenance
   * manifest is the one of that read (a read that wrote it, or had no listing, is read again once),
   * and then for good while the operator owns maintenance: nobody else runs it, so its schedule
   * moves only with the operator's own runs, after which it is read anyway. Another owner's runs
   * move the schedule without a new manifest, and without a listing nothing is known: {@link
   * #INFO_TTL}.
   */
  private static boolean stillTrue(
      Known last, Optional<String> manifest, String self, Instant now) {
    boolean withinTtl = last.readAt().plus(INFO_TTL).isAfter(now);
    if (manifest.isEmpty()) {
      return withinTtl;
    }
    boolean owned = last.info().owner().filter(self::equals).isPresent();
    return manifest.equals(last.manifest()) && (owned || withinTtl);
  }

  private MaintenanceReport foreign(Repository repository, MaintenanceStatus status, String owner) {
    status.setOwnedByOperator(false);
    status.setRunning(null);
    String message =
        "maintenance is owned by "
            + owner
            + ", not by the operator: the operator runs none and leaves it to that client. Set"
            + " spec.maintenance.takeOver: true to make the operator the owner, once that client"
            + " no longer runs maintenance (docs/maintenance.md)";
    boolean alreadyReported =
        repository.getStatus() != null
            && repository
                .getStatus()
                .condition(CONDITION)
                .map(c -> "ForeignOwner".equals(c.getReason()))
                .orElse(false);
    if (!alreadyReported) {
      events.warning(repository, "MaintenanceForeignOwner", message);
    }
    return report(condition(Condition.FALSE, "ForeignOwner", message), status, null);
  }

  /** What the status shows before this pass: earlier runs survive a restart through status. */
  private MaintenanceStatus startingStatus(Repository repository, String uid) {
    MaintenanceStatus previous =
        repository.getStatus() == null ? null : repository.getStatus().getMaintenance();
    MaintenanceStatus status = new MaintenanceStatus();
    if (previous != null) {
      status.setOwner(previous.getOwner());
      status.setOwnedByOperator(previous.getOwnedByOperator());
      status.setLastQuick(previous.getLastQuick());
      status.setLastFull(previous.getLastFull());
      status.setNextQuick(previous.getNextQuick());
      status.setNextFull(previous.getNextFull());
    }
    executor
        .lastRuns(uid)
        .ifPresent(
            runs -> {
              if (runs.quick() != null) {
                status.setLastQuick(runs.quick());
              }
              if (runs.full() != null) {
                status.setLastFull(runs.full());
              }
            });
    status.setRunning(executor.running(uid).map(r -> r.mode().label()).orElse(null));
    return status;
  }

  /**
   * False while the last full run failed, or the last quick one failed and no full run succeeded
   * after it; Unknown when the last run was cancelled; otherwise True.
   */
  static Condition health(MaintenanceStatus status) {
    MaintenanceRunStatus quick = status.getLastQuick();
    MaintenanceRunStatus full = status.getLastFull();
    boolean fullFailed = full != null && MaintenanceExecutor.FAILED.equals(full.getResult());
    boolean quickFailed =
        quick != null
            && MaintenanceExecutor.FAILED.equals(quick.getResult())
            && !(full != null
                && MaintenanceExecutor.SUCCEEDED.equals(full.getResult())
                && after(full, quick));
    String next =
        "next quick maintenance due at "
            + status.getNextQuick()
            + ", full at "
            + status.getNextFull();
    if (fullFailed || quickFailed) {
      MaintenanceRunStatus failed = fullFailed ? full : quick;
      return condition(
          Condition.FALSE,
          "MaintenanceFailed",
          (fullFailed ? "full" : "quick")
              + " maintenance failed at "
              + failed.getEnd()
              + ": "
              + failed.getMessage()
              + "; "
              + next);
    }
    MaintenanceRunStatus latest =
        quick == null ? full : full == null ? quick : after(full, quick) ? full : quick;
    if (latest == null) {
      return condition(Condition.TRUE, "Scheduled", "the operator owns maintenance; " + next);
    }
    String mode = latest == full ? "full" : "quick";
    if (MaintenanceExecutor.CANCELLED.equals(latest.getResult())) {
      return condition(
          Condition.UNKNOWN,
          "Cancelled",
          "the last " + mode + " maintenance was " + latest.getMessage() + "; " + next);
    }
    return condition(
        Condition.TRUE,
        "Succeeded",
        "the last " + mode + " maintenance succeeded at " + latest.getEnd() + "; " + next);
  }

  private static boolean after(MaintenanceRunStatus a, MaintenanceRunStatus b) {
    return Instant.parse(a.getEnd()).isAfter(Instant.parse(b.getEnd()));
  }

  private static Condition condition(String status, String reason, String message) {
    return new Condition(CONDITION, status, reason, message);
  }

  private static MaintenanceReport report(
      Condition condition, MaintenanceStatus status, Duration requeue) {
    return new MaintenanceReport(Optional.of(condition), status, Optional.ofNullable(requeue));
  }
}
