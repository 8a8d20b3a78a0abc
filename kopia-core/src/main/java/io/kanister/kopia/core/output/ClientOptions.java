package io.kanister.kopia.core.output;

import java.util.Optional;
import org.immutables.value.Value;

/** The identity and flags a Kopia client connection runs with (Go {@code repo.ClientOptions}). */
@Value.Immutable
public interface ClientOptions {

  /** Empty when the server has no repository open. */
  Optional<String> hostname();

  /** Empty when the server has no repository open. */
  Optional<String> username();

  boolean readOnly();

  Optional<String> description();
}
