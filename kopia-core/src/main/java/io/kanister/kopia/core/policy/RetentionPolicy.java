package io.kanister.kopia.core.policy;

import static io.kanister.kopia.core.policy.PolicyValueRules.requireInRange;

import java.util.Optional;
import org.immutables.value.Value;

/** How many snapshots of each age class to keep. An empty field inherits from the parent. */
@Value.Immutable
public abstract class RetentionPolicy {
  public abstract Optional<Integer> keepLatest();

  public abstract Optional<Integer> keepHourly();

  public abstract Optional<Integer> keepDaily();

  public abstract Optional<Integer> keepWeekly();

  public abstract Optional<Integer> keepMonthly();

  public abstract Optional<Integer> keepAnnual();

  public abstract Optional<Boolean> ignoreIdenticalSnapshots();

  public static ImmutableRetentionPolicy.Builder builder() {
    return ImmutableRetentionPolicy.builder();
  }

  @Value.Check
  protected void check() {
    requireInRange("keepLatest", keepLatest(), 0, Integer.MAX_VALUE);
    requireInRange("keepHourly", keepHourly(), 0, Integer.MAX_VALUE);
    requireInRange("keepDaily", keepDaily(), 0, Integer.MAX_VALUE);
    requireInRange("keepWeekly", keepWeekly(), 0, Integer.MAX_VALUE);
    requireInRange("keepMonthly", keepMonthly(), 0, Integer.MAX_VALUE);
    requireInRange("keepAnnual", keepAnnual(), 0, Integer.MAX_VALUE);
  }
}
