package io.kanister.kopia.operator.repository;

import io.kanister.kopia.model.repository.MaintenanceStatus;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryIdentityStatus;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.ServerStatus;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.model.status.Conditions;
import io.kanister.kopia.model.validation.Problem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The status a reconcile pass wants to write, collected while the steps run and applied in one
 * status write at the end.
 */
public final class RepositoryConditions {
  private final List<Condition> desired = new ArrayList<>();
  private ServerStatus server;
  private UsersStatus users;
  private RepositoryIdentityStatus identity;
  private Duration requeueAfter;
  private MaintenanceStatus maintenance;
  private String running = RepositoryReconciler.REPOSITORY_READY;

  public void set(String type, boolean ok, String reason, String message) {
    desired.add(new Condition(type, ok ? Condition.TRUE : Condition.FALSE, reason, message));
  }

  public void unknown(String type, String reason, String message) {
    desired.add(new Condition(type, Condition.UNKNOWN, reason, message));
  }

  void server(ServerStatus server) {
    this.server = server;
  }

  public void users(UsersStatus users) {
    this.users = users;
  }

  public void maintenance(MaintenanceStatus maintenance) {
    this.maintenance = maintenance;
  }

  /**
   * Marks the step about to run, by its condition type: an unexpected failure is reported on it
   * ({@link StepFailure}).
   */
  void running(String conditionType) {
    this.running = conditionType;
  }

  String running() {
    return running;
  }

  void identity(RepositoryIdentityStatus identity) {
    this.identity = identity;
  }

  /** Asks for the next pass no later than {@code after} (e.g. a token rotation). */
  public void requeueNoLaterThan(Duration after) {
    if (requeueAfter == null || after.compareTo(requeueAfter) < 0) {
      requeueAfter = after;
    }
  }

  Optional<Duration> requeueAfter() {
    return Optional.ofNullable(requeueAfter);
  }

  /**
   * Applies the collected conditions to {@code repository}'s status, in place, stamped with the
   * generation of the spec the pass read ({@code observed}). On a 409 the status writer applies
   * this to a fresher Repository whose spec may already be newer: stamping that one's generation
   * would claim the pass had seen a spec it never read.
   */
  void applyTo(Repository repository, Clock clock, Long observed) {
    RepositoryStatus status =
        repository.getStatus() == null ? new RepositoryStatus() : repository.getStatus();
    repository.setStatus(status);
    long generation = observed == null ? 0 : observed;
    for (Condition condition : desired) {
      Conditions.set(
          status.getConditions(), condition.withObservedGeneration(generation), clock.instant());
    }
    if (server != null) {
      status.setServer(server);
    }
    if (users != null) {
      status.setUsers(users);
    }
    if (maintenance != null) {
      status.setMaintenance(maintenance);
    }
    if (identity != null) {
      keepRecordedIdentity(identity, status.getRepository());
      status.setRepository(identity);
    }
    status.setObservedGeneration(generation);
  }

  /**
   * A pass that began from a cached Repository older than the pass that recorded its identity
   * carries no uniqueId; the recorded one must survive it, or a later pass would take the storage
   * for unpinned. Only an accepted new repository replaces a uniqueId, and it carries its own.
   */
  private static void keepRecordedIdentity(
      RepositoryIdentityStatus identity, RepositoryIdentityStatus recorded) {
    if (identity.getUniqueId() == null && recorded != null && recorded.getUniqueId() != null) {
      identity.setUniqueId(recorded.getUniqueId());
      identity.setRecordedAt(recorded.getRecordedAt());
      if (identity.getStorage() == null) {
        identity.setStorage(recorded.getStorage());
      }
    }
  }

  /** A status message from problems: one line each, joined; never a value. */
  static String describe(List<Problem> problems) {
    return problems.stream().map(Problem::text).collect(Collectors.joining("; "));
  }
}
