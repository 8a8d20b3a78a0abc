package io.kanister.kopia.core.command;

import io.kanister.kopia.core.secret.SecretValue;

/**
 * The repository server's own logins: the UI user, and the control user that status and refresh
 * calls authenticate as. Kopia's defaults are {@code kopia} and {@code server-control}.
 */
public record ServerCredentials(
    String uiUsername,
    SecretValue uiPassword,
    String controlUsername,
    SecretValue controlPassword) {
  public static final String DEFAULT_UI_USERNAME = "kopia";
  public static final String DEFAULT_CONTROL_USERNAME = "server-control";

  public ServerCredentials {
    if (uiUsername.isBlank() || controlUsername.isBlank()) {
      throw new IllegalArgumentException("server usernames must not be blank");
    }
    if (uiPassword.isBlank() || controlPassword.isBlank()) {
      throw new IllegalArgumentException("server passwords must not be blank");
    }
  }
}
