package io.kanister.kopia.operator.users;

/** No token was issued; {@code reason} is one of {@link FailureReasons}' token words. */
public final class TokenIssueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public TokenIssueException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
