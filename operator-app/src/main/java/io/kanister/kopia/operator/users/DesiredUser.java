package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.Secret;
import io.kanister.kopia.core.user.KopiaUsername;

/**
 * A server access user the repository server should have.
 *
 * @param source where the user comes from, for messages (e.g. {@code Secret kanister/access, key
 *     mysql-blue} or {@code StatefulSet monitoring/db}); never a secret
 */
public record DesiredUser(KopiaUsername username, Secret password, String source) {
  @Override
  public String toString() {
    return "DesiredUser[" + username + " from " + source + "]";
  }
}
