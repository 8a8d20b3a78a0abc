package io.kanister.kopia.core.command;

import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import java.util.List;

/**
 * {@code kopia server users ...}: repository users that clients log in to the server as.
 *
 * <p>Passwords go in as hashes ({@code --user-password-hash}), computed in Java, so no password is
 * ever on a command line. The hash is a salted PBKDF2 derivation that the repository stores anyway;
 * it is not a secret in Kopia's model, but the runner still never logs it.
 */
public final class UserCommands {
  private UserCommands() {}

  public static KopiaCommand add(KopiaUsername user, UserPasswordHash hash) {
    return KopiaCommand.of(
        List.of("server", "users", "add", user.value(), "--user-password-hash=" + hash.encoded()));
  }

  public static KopiaCommand set(KopiaUsername user, UserPasswordHash hash) {
    return KopiaCommand.of(
        List.of("server", "users", "set", user.value(), "--user-password-hash=" + hash.encoded()));
  }

  /** Deleting an unknown user succeeds in kopia v0.23.1 (exit 0), which keeps this idempotent. */
  public static KopiaCommand delete(KopiaUsername user) {
    return KopiaCommand.of(List.of("server", "users", "delete", user.value()));
  }

  public static KopiaCommand list() {
    return KopiaCommand.of(List.of("server", "users", "list", "--json"));
  }
}
