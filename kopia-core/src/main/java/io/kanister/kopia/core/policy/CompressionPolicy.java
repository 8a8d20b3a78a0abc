package io.kanister.kopia.core.policy;

import static io.kanister.kopia.core.policy.PolicyValueRules.requireAtLeast;
import static io.kanister.kopia.core.policy.PolicyValueRules.requireNoBlankEntries;

import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * Content compression. Empty optionals and empty sets inherit from the parent.
 *
 * <p>Sizes are bytes and must be positive: Kopia stores them as plain integers where 0 means
 * "inherit", so a 0 could never be told apart from an unset value.
 */
@Value.Immutable
public abstract class CompressionPolicy {
  public abstract Optional<Compressor> compressor();

  public abstract Optional<Long> minSize();

  public abstract Optional<Long> maxSize();

  /** File name patterns (e.g. {@code *.txt}) that are the only ones compressed. */
  public abstract Set<String> onlyCompress();

  /** File name patterns that are never compressed. */
  public abstract Set<String> neverCompress();

  public static ImmutableCompressionPolicy.Builder builder() {
    return ImmutableCompressionPolicy.builder();
  }

  @Value.Check
  protected void check() {
    requireAtLeast("compression minSize", minSize(), 1);
    requireAtLeast("compression maxSize", maxSize(), 1);
    requireNoBlankEntries("onlyCompress", onlyCompress());
    requireNoBlankEntries("neverCompress", neverCompress());
  }
}
