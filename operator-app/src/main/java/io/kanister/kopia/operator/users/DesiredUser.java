package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;

/**
 * A server access user the repository server should have.
 *
 * @param source where the user comes from, for messages (e.g. {@code Secret kanister/access, key
 *     mysql-blue} or {@code StatefulSet monitoring/db}); never a secret
 * @param origin the same, as recorded in {@link ManagedUsers} ({@code secret/access/mysql-blue})
 */
public record DesiredUser(
    KopiaUsername username, SecretValue password, String source, String origin) {
  @Override
  public String toString() {
    return "DesiredUser[" + username + " from " + source + "]";
  }
}
