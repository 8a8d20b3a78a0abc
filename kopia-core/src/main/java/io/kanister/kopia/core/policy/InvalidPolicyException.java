package io.kanister.kopia.core.policy;

/** A policy value that Kopia would reject, or that this model cannot express. */
public final class InvalidPolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidPolicyException(String message) {
    super(message);
  }
}
