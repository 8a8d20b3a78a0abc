package io.kanister.kopia.core.policy;

import java.util.Optional;
import org.immutables.value.Value;

/** Which read errors a snapshot tolerates. An empty field inherits from the parent. */
@Value.Immutable
public abstract class ErrorHandlingPolicy {
  public abstract Optional<Boolean> ignoreFileErrors();

  public abstract Optional<Boolean> ignoreDirectoryErrors();

  public abstract Optional<Boolean> ignoreUnknownTypes();

  public static ImmutableErrorHandlingPolicy.Builder builder() {
    return ImmutableErrorHandlingPolicy.builder();
  }
}
