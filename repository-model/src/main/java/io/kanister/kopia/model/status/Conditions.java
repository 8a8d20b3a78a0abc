package io.kanister.kopia.model.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Edits a list of conditions the way Go's {@code meta.SetStatusCondition} does: {@code
 * lastTransitionTime} moves only when {@code status} flips, so it tells how long a condition has
 * held; {@code lastUpdateTime} moves whenever anything else about the condition changes.
 */
public final class Conditions {
  private Conditions() {}

  /**
   * Sets {@code desired} (type, status, reason, message, observedGeneration) into {@code
   * conditions}, in place.
   *
   * @return whether the list changed, i.e. whether status needs writing
   */
  public static boolean set(List<Condition> conditions, Condition desired, Instant now) {
    Objects.requireNonNull(desired.getType(), "condition type");
    Objects.requireNonNull(desired.getStatus(), "condition status");
    var timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    var existing = find(conditions, desired.getType());
    if (existing.isEmpty()) {
      var added = copyOf(desired);
      added.setLastTransitionTime(timestamp);
      added.setLastUpdateTime(timestamp);
      conditions.add(added);
      return true;
    }
    var current = existing.get();
    boolean flipped = !desired.getStatus().equals(current.getStatus());
    boolean changed =
        flipped
            || !Objects.equals(desired.getReason(), current.getReason())
            || !Objects.equals(desired.getMessage(), current.getMessage())
            || !Objects.equals(desired.getObservedGeneration(), current.getObservedGeneration());
    if (!changed) {
      return false;
    }
    if (flipped) {
      current.setLastTransitionTime(timestamp);
    }
    current.setStatus(desired.getStatus());
    current.setReason(desired.getReason());
    current.setMessage(desired.getMessage());
    current.setObservedGeneration(desired.getObservedGeneration());
    current.setLastUpdateTime(timestamp);
    return true;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> Condition.TRUE.equals(c.getStatus())).orElse(false);
  }

  /**
   * @return whether a condition of that type was there
   */
  public static boolean remove(List<Condition> conditions, String type) {
    return conditions.removeIf(c -> type.equals(c.getType()));
  }

  private static Condition copyOf(Condition c) {
    return new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage())
        .withObservedGeneration(c.getObservedGeneration());
  }
}
