package io.kanister.kopia.core.config;

import java.util.Optional;
import org.immutables.value.Value;

/** The content of a Kopia {@code repo.config} file (Kopia's {@code LocalConfig}). */
@Value.Immutable
public abstract class RepositoryConfig {
  public abstract RepositoryConnection connection();

  public abstract ClientOptions clientOptions();

  public abstract Optional<CachingOptions> caching();

  public static ImmutableRepositoryConfig.Builder builder() {
    return ImmutableRepositoryConfig.builder();
  }
}
