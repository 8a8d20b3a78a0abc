package io.kanister.controller.reconcile;

/**
 * A failure that retrying cannot fix (e.g. an invalid spec): it is logged and counted, never
 * retried. The object is reconciled again only when it changes.
 */
public class TerminalException extends RuntimeException {
  public TerminalException(String message) {
    super(message);
  }

  public TerminalException(String message, Throwable cause) {
    super(message, cause);
  }
}
