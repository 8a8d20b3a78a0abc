package io.kanister.kopia.core.policy;

import static io.kanister.kopia.core.policy.PolicyValueRules.requireInRange;

import java.util.Optional;
import org.immutables.value.Value;

/** Upload parallelism. An empty field inherits from the parent. */
@Value.Immutable
public abstract class UploadPolicy {
  /** Only meaningful for global, host and user targets; Kopia rejects it on path targets. */
  public abstract Optional<Integer> maxParallelSnapshots();

  public abstract Optional<Integer> maxParallelFileReads();

  /**
   * Files above this size are uploaded in parallel. Kept in MiB because that is the only unit
   * {@code policy set} accepts; Kopia stores bytes.
   */
  public abstract Optional<Integer> parallelUploadAboveSizeMib();

  public static ImmutableUploadPolicy.Builder builder() {
    return ImmutableUploadPolicy.builder();
  }

  @Value.Check
  protected void check() {
    requireInRange("maxParallelSnapshots", maxParallelSnapshots(), 1, Integer.MAX_VALUE);
    requireInRange("maxParallelFileReads", maxParallelFileReads(), 1, Integer.MAX_VALUE);
    // The CLI converts MiB to bytes in an int64, but parses the MiB count as int32.
    requireInRange(
        "parallelUploadAboveSizeMib", parallelUploadAboveSizeMib(), 0, Integer.MAX_VALUE);
  }
}
