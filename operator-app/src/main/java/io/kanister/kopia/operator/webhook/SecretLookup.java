package io.kanister.kopia.operator.webhook;

import io.kanister.kopia.model.secret.SecretData;
import java.util.Optional;

/**
 * Whether a Secret exists. The webhook only warns about missing Secrets: users often create the
 * Repository before its Secrets, and the reconciler waits for them.
 */
@FunctionalInterface
public interface SecretLookup {
  /**
   * @throws RuntimeException when it cannot be told (API server unreachable, no permission)
   */
  boolean exists(String namespace, String name);

  /**
   * The Secret's data, for the few checks the webhook makes on a Secret that already exists; empty
   * when it does not exist or cannot be read.
   */
  default Optional<SecretData> data(String namespace, String name) {
    return Optional.empty();
  }
}
