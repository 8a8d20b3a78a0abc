package io.kanister.kopia.operator.webhook;

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
}
