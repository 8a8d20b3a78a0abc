package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;

/**
 * The repository server's two built-in users: the UI user ({@code --server-username/-password}) and
 * the control-API user ({@code --server-control-username/-password}) the operator uses.
 */
public record ServerAdminCredentials(
    String username, SecretValue password, String controlUsername, SecretValue controlPassword) {
  @Override
  public String toString() {
    return "ServerAdminCredentials[username=REDACTED, controlUsername=REDACTED]";
  }
}
