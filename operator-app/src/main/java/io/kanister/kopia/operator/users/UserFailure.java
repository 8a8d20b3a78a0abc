package io.kanister.kopia.operator.users;

import io.kanister.kopia.model.repository.FailedUser;

/**
 * A user that cannot be served, and why. Messages never hold a password or token.
 *
 * @param username the Kopia username, or the workload identifier when none could be derived
 * @param reason a CamelCase word from {@link FailureReasons}
 * @param message bounded to {@value FailureReasons#MAX_MESSAGE} characters
 */
public record UserFailure(String username, String reason, String message) {
  public UserFailure {
    username = FailureReasons.bounded(username, 253);
    message = FailureReasons.bounded(message, FailureReasons.MAX_MESSAGE);
  }

  public FailedUser toFailedUser() {
    return new FailedUser(username, reason, message);
  }
}
