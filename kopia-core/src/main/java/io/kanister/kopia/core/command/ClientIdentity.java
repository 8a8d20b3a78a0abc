package io.kanister.kopia.core.command;

import io.kanister.kopia.core.user.KopiaUsername;
import java.util.List;

/**
 * The {@code user@host} a client connection acts as. Kopia scopes snapshots and policies by it, so
 * the operator sets it explicitly rather than inheriting the pod's OS user and hostname.
 */
public record ClientIdentity(String username, String hostname) {
  public ClientIdentity {
    KopiaUsername.of(username, hostname); // validates both halves
  }

  public static ClientIdentity of(KopiaUsername user) {
    return new ClientIdentity(user.user(), user.host());
  }

  List<String> flags() {
    return List.of("--override-username=" + username, "--override-hostname=" + hostname);
  }
}
