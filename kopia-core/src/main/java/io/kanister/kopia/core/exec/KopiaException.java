package io.kanister.kopia.core.exec;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.error.KopiaFailure;

/**
 * kopia failed. The message holds the redacted command and kopia's own secret-safe error line, so
 * it may be shown to users (status conditions, Events) as it is.
 */
public class KopiaException extends RuntimeException {
  private final transient KopiaCommand command;
  private final KopiaFailure failure;

  public KopiaException(KopiaCommand command, KopiaFailure failure) {
    super("'kopia " + command.verb() + "' failed (" + failure.kind() + "): " + failure.summary());
    this.command = command;
    this.failure = failure;
  }

  public KopiaFailure failure() {
    return failure;
  }

  public KopiaErrorKind kind() {
    return failure.kind();
  }

  /** The redacted command, for logs. */
  public String redactedCommand() {
    return command.toString();
  }
}
