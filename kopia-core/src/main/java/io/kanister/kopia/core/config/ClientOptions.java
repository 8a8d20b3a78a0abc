package io.kanister.kopia.core.config;

import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/** The client identity and behaviour Kopia keeps flat at the top level of repo.config. */
@Value.Immutable
public abstract class ClientOptions {
  /** Kopia's {@code --format-blob-cache-duration} default. */
  public static final Duration DEFAULT_FORMAT_BLOB_CACHE_DURATION = Duration.ofMinutes(15);

  /** Kopia encodes "never cache the format blob" as -1ns. */
  public static final Duration FORMAT_BLOB_CACHE_DISABLED = Duration.ofNanos(-1);

  public abstract String hostname();

  public abstract String username();

  @Value.Default
  public boolean readonly() {
    return false;
  }

  public abstract Optional<String> description();

  @Value.Default
  public boolean enableActions() {
    return false;
  }

  @Value.Default
  public Duration formatBlobCacheDuration() {
    return DEFAULT_FORMAT_BLOB_CACHE_DURATION;
  }

  public static ImmutableClientOptions.Builder builder() {
    return ImmutableClientOptions.builder();
  }

  public static ClientOptions of(String hostname, String username) {
    return builder().hostname(hostname).username(username).build();
  }

  @Value.Check
  protected void check() {
    if (hostname().isBlank() || username().isBlank()) {
      throw new IllegalArgumentException("client options need a non-blank hostname and username");
    }
  }
}
