package io.kanister.kopia.model.validation;

import java.util.Objects;

/**
 * One thing wrong with user input: {@code where} names the object and field (e.g. {@code
 * spec.policy.snapshotTime[1]} or {@code Secret kanister/repo-location, key bucket}) and {@code
 * message} says what is wrong and how to fix it. Neither ever holds a secret value.
 */
public record Problem(String where, String message, Code code) {
  /**
   * What kind of problem, for code that must tell problems apart (a users reason word, say):
   * messages are for people and may be reworded.
   */
  public enum Code {
    /** The most common case: a value is missing, malformed or out of range. */
    INVALID_VALUE,
    /** A key cannot be used as a Kopia host name part (an access Secret's workload key). */
    INVALID_WORKLOAD_IDENTIFIER,
    /** A username is missing or is not one Kopia accepts. */
    INVALID_USERNAME
  }

  public Problem {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(code, "code");
  }

  public Problem(String where, String message) {
    this(where, message, Code.INVALID_VALUE);
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
