package io.kanister.kopia.core.policy;

import static io.kanister.kopia.core.policy.PolicyValueRules.requireInRange;

import java.util.Optional;
import org.immutables.value.Value;

/** Log detail levels, 0 (none) to 10 (maximum). An empty field inherits from the parent. */
@Value.Immutable
public abstract class LoggingPolicy {
  public static final int MAX_LEVEL = 10;

  public abstract Optional<Integer> directorySnapshotted();

  public abstract Optional<Integer> directoryIgnored();

  public abstract Optional<Integer> entrySnapshotted();

  public abstract Optional<Integer> entryIgnored();

  public abstract Optional<Integer> entryCacheHit();

  public abstract Optional<Integer> entryCacheMiss();

  public static ImmutableLoggingPolicy.Builder builder() {
    return ImmutableLoggingPolicy.builder();
  }

  @Value.Check
  protected void check() {
    requireInRange("logging directorySnapshotted", directorySnapshotted(), 0, MAX_LEVEL);
    requireInRange("logging directoryIgnored", directoryIgnored(), 0, MAX_LEVEL);
    requireInRange("logging entrySnapshotted", entrySnapshotted(), 0, MAX_LEVEL);
    requireInRange("logging entryIgnored", entryIgnored(), 0, MAX_LEVEL);
    requireInRange("logging entryCacheHit", entryCacheHit(), 0, MAX_LEVEL);
    requireInRange("logging entryCacheMiss", entryCacheMiss(), 0, MAX_LEVEL);
  }
}
