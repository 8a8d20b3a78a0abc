package io.kanister.kopia.core.config;

import java.util.Optional;
import java.util.OptionalLong;
import org.immutables.value.Value;

/** The {@code caching} section of repo.config. Absent values fall back to Kopia's defaults. */
@Value.Immutable
public abstract class CachingOptions {
  /** What {@code repository create|connect} writes without cache flags: 5000 MB each. */
  public static final long DEFAULT_CACHE_SIZE_BYTES = 5000L * 1024 * 1024;

  public static final long DEFAULT_LIST_CACHE_SECONDS = 30;

  /** Absolute, or relative to the directory of the config file. */
  public abstract Optional<String> cacheDirectory();

  public abstract OptionalLong maxCacheSizeBytes();

  public abstract OptionalLong maxMetadataCacheSizeBytes();

  public abstract OptionalLong maxListCacheDurationSeconds();

  public static ImmutableCachingOptions.Builder builder() {
    return ImmutableCachingOptions.builder();
  }

  /** The section Kopia writes for {@code --cache-directory=dir} and no other cache flag. */
  public static CachingOptions kopiaDefaults(String cacheDirectory) {
    return builder()
        .cacheDirectory(cacheDirectory)
        .maxCacheSizeBytes(DEFAULT_CACHE_SIZE_BYTES)
        .maxMetadataCacheSizeBytes(DEFAULT_CACHE_SIZE_BYTES)
        .maxListCacheDurationSeconds(DEFAULT_LIST_CACHE_SECONDS)
        .build();
  }
}
