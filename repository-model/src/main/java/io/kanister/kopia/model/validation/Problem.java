package io.kanister.kopia.model.validation;

import java.util.Objects;

/**
 * One thing wrong with user input: {@code where} names the object and field (e.g. {@code
 * spec.policy.snapshotTime[1]} or {@code Secret kanister/repo-location, key bucket}) and {@code
 * message} says what is wrong and how to fix it. Neither ever holds a secret value.
 */
public record Problem(String where, String message) {
  public Problem {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(message, "message");
  }

  /** {@code where: message}, the form used in status conditions and events. */
  public String text() {
    return where + ": " + message;
  }

  @Override
  public String toString() {
    return text();
  }
}
