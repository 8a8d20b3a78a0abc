package io.kanister.kopia.core.policy;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A Kopia policy as {@code kopia policy set} can write it. Every empty optional, empty collection
 * and empty section means "not defined here, inherit from the parent policy".
 *
 * <p>Snapshot actions (before/after folder and snapshot-root commands) are not modelled: they carry
 * executable commands, are not inherited, and belong to a separate, deliberate API.
 */
@Value.Immutable
public abstract class Policy {
  /** A policy that defines nothing, which is what a target without a policy manifest has. */
  public static Policy empty() {
    return builder().build();
  }

  public static ImmutablePolicy.Builder builder() {
    return ImmutablePolicy.builder();
  }

  @Value.Default
  public RetentionPolicy retention() {
    return RetentionPolicy.builder().build();
  }

  @Value.Default
  public FilesPolicy files() {
    return FilesPolicy.builder().build();
  }

  @Value.Default
  public ErrorHandlingPolicy errorHandling() {
    return ErrorHandlingPolicy.builder().build();
  }

  @Value.Default
  public SchedulingPolicy scheduling() {
    return SchedulingPolicy.builder().build();
  }

  @Value.Default
  public CompressionPolicy compression() {
    return CompressionPolicy.builder().build();
  }

  public abstract Optional<Compressor> metadataCompressor();

  public abstract Optional<SplitterAlgorithm> splitter();

  @Value.Default
  public UploadPolicy upload() {
    return UploadPolicy.builder().build();
  }

  @Value.Default
  public LoggingPolicy logging() {
    return LoggingPolicy.builder().build();
  }

  public abstract Optional<VolumeShadowCopyMode> volumeShadowCopy();

  /**
   * {@code true} stops inheritance from parent policies (Kopia's {@code noParent}). A plain flag
   * because Kopia stores it as a non-pointer boolean.
   */
  @Value.Default
  public boolean noParent() {
    return false;
  }
}
