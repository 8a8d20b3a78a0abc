package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;

/**
 * A predefined server access user from an access Secret: the key is the workload identifier, the
 * value names the user and its password. Kopia knows it as {@code username@<namespace>.<workload>}.
 */
public record AccessUser(SecretRef source, String workload, String username, SecretValue password) {
  /** The Kopia user, for a repository serving {@code targetNamespace}. */
  public KopiaUsername kopiaUsername(String targetNamespace) {
    return KopiaUsername.of(username, targetNamespace + "." + workload);
  }

  @Override
  public String toString() {
    return "AccessUser[" + source + ", workload=" + workload + "]";
  }
}
