package io.kanister.kopia.core.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * When snapshots are taken. Empty optionals and empty collections inherit from the parent.
 *
 * <p>{@link #manual()} is a plain flag rather than an optional because Kopia stores it as a
 * non-pointer boolean: {@code false} and "not set" are the same thing there.
 */
@Value.Immutable
public abstract class SchedulingPolicy {
  /** Positive whole seconds; Kopia stores {@code intervalSeconds} and reads 0 as unset. */
  public abstract Optional<Duration> interval();

  public abstract Set<TimeOfDay> timesOfDay();

  /** Crontab expressions, e.g. {@code 0 3 * * *}. */
  public abstract List<String> cronExpressions();

  @Value.Default
  public boolean manual() {
    return false;
  }

  public abstract Optional<Boolean> runMissed();

  public static ImmutableSchedulingPolicy.Builder builder() {
    return ImmutableSchedulingPolicy.builder();
  }

  @Value.Check
  protected void check() {
    interval()
        .ifPresent(
            d -> {
              if (d.isNegative() || d.isZero() || d.getNano() != 0) {
                throw new InvalidPolicyException(
                    "scheduling interval must be a positive whole number of seconds, got " + d);
              }
            });
    for (String cron : cronExpressions()) {
      if (cron.isBlank()) {
        throw new InvalidPolicyException("cron expressions must not be blank");
      }
      // The CLI takes all expressions in one semicolon-separated value.
      if (cron.contains(";")) {
        throw new InvalidPolicyException("cron expression must not contain ';': '" + cron + "'");
      }
      // Kopia trims each expression when it stores it; untrimmed input would never compare equal.
      if (!cron.equals(cron.strip())) {
        throw new InvalidPolicyException(
            "cron expression must not start or end with whitespace: '" + cron.strip() + "'");
      }
    }
    // Kopia's validation: "manual cannot be combined with other scheduling policies".
    if (manual()
        && (interval().isPresent()
            || !timesOfDay().isEmpty()
            || !cronExpressions().isEmpty()
            || runMissed().isPresent())) {
      throw new InvalidPolicyException(
          "manual scheduling cannot be combined with an interval, times of day, cron expressions"
              + " or runMissed");
    }
  }
}
