package io.kanister.kopia.operator.cli;

import io.kanister.kopia.model.repository.MaintenanceRunStatus;
import io.kanister.kopia.model.repository.MaintenanceStatus;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryConditionTypes;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.model.status.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** What {@code status} says about one Repository, read from its status only (never a Secret). */
record RepositoryState(Repository repository) {
  static final int MAX_ERROR = 80;
  static final String NONE = "-";

  String namespace() {
    return repository.getMetadata().getNamespace();
  }

  String name() {
    return repository.getMetadata().getName();
  }

  /** The target namespace, or {@code *} for global mode, which serves every namespace. */
  String target() {
    String target = repository.getSpec() == null ? null : repository.getSpec().getTargetNamespace();
    return target == null || target.isBlank() ? "*" : target;
  }

  RepositoryStatus status() {
    return repository.getStatus() == null ? new RepositoryStatus() : repository.getStatus();
  }

  List<Condition> conditions() {
    return status().getConditions();
  }

  Optional<Condition> condition(String type) {
    return status().condition(type);
  }

  /** The status describes an older spec than the stored one: the operator has not caught up. */
  boolean stale() {
    Long generation = repository.getMetadata().getGeneration();
    Long observed = status().getObservedGeneration();
    return generation != null && (observed == null || observed < generation);
  }

  /** Clients can connect: the repository and its server are Ready for the current spec. */
  boolean ready() {
    return isTrue(RepositoryConditionTypes.REPOSITORY_READY)
        && isTrue(RepositoryConditionTypes.SERVER_READY)
        && !stale();
  }

  /** Ready, but some users failed or maintenance is unhealthy. */
  boolean degraded() {
    return failedUsers() > 0
        || condition(RepositoryConditionTypes.MAINTENANCE_HEALTHY)
            .map(c -> Condition.FALSE.equals(c.getStatus()))
            .orElse(false);
  }

  int exitCode() {
    return !ready() ? ExitCode.NOT_READY : degraded() ? ExitCode.DEGRADED : ExitCode.READY;
  }

  String readyCell() {
    String status =
        condition(RepositoryConditionTypes.REPOSITORY_READY).map(Condition::getStatus).orElse(NONE);
    return stale() ? status + "(stale)" : status;
  }

  String serverCell() {
    return condition(RepositoryConditionTypes.SERVER_READY)
        .map(c -> orNone(c.getReason()))
        .orElse(NONE);
  }

  int failedUsers() {
    UsersStatus users = status().getUsers();
    if (users == null) {
      return 0;
    }
    if (users.getFailedCount() != null) {
      return users.getFailedCount();
    }
    return users.getFailed() == null ? 0 : users.getFailed().size();
  }

  /** {@code registered/desired}, with the failed count when there are failures. */
  String usersCell() {
    UsersStatus users = status().getUsers();
    if (users == null) {
      return NONE;
    }
    String counts = count(users.getRegistered()) + "/" + count(users.getDesired());
    int failed = failedUsers();
    return failed == 0 ? counts : counts + " (" + failed + " failed)";
  }

  /** The MaintenanceHealthy reason and when the last full run ended. */
  String maintenanceCell() {
    String reason =
        condition(RepositoryConditionTypes.MAINTENANCE_HEALTHY)
            .map(c -> orNone(c.getReason()))
            .orElse(NONE);
    MaintenanceStatus maintenance = status().getMaintenance();
    MaintenanceRunStatus full = maintenance == null ? null : maintenance.getLastFull();
    if (full == null || full.getEnd() == null) {
      return reason;
    }
    return reason + " (full " + full.getEnd() + ")";
  }

  /** The message of the first False condition, on one line and cut to {@link #MAX_ERROR}. */
  String lastErrorCell() {
    return conditions().stream()
        .filter(c -> Condition.FALSE.equals(c.getStatus()))
        .findFirst()
        .map(c -> oneLine(c.getReason() + ": " + orNone(c.getMessage())))
        .map(RepositoryState::cut)
        .orElse(NONE);
  }

  /** Age the way kubectl prints it: 42s, 5m, 3h, 12d. */
  String age(Instant now) {
    String created = repository.getMetadata().getCreationTimestamp();
    if (created == null) {
      return NONE;
    }
    try {
      Duration age = Duration.between(Instant.parse(created), now);
      if (age.isNegative()) {
        return "0s";
      }
      if (age.toMinutes() < 2) {
        return age.toSeconds() + "s";
      }
      if (age.toHours() < 2) {
        return age.toMinutes() + "m";
      }
      if (age.toDays() < 2) {
        return age.toHours() + "h";
      }
      return age.toDays() + "d";
    } catch (DateTimeParseException e) {
      return NONE;
    }
  }

  private boolean isTrue(String type) {
    return condition(type).map(c -> Condition.TRUE.equals(c.getStatus())).orElse(false);
  }

  private static String count(Integer value) {
    return value == null ? "?" : value.toString();
  }

  static String orNone(String value) {
    return value == null || value.isBlank() ? NONE : value;
  }

  static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  static String cut(String text) {
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 3) + "...";
  }
}
