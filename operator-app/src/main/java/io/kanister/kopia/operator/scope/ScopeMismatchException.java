package io.kanister.kopia.operator.scope;

/**
 * The operator was started in a mode other than the one its Repositories were made in. The message
 * is one line, meant to be printed as the process's last words before it exits non-zero.
 */
public final class ScopeMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScopeMismatchException(String message) {
    super(message);
  }
}
