package io.kanister.kopia.core.user;

/** Outcome of checking a password against a stored Kopia user password hash. */
public enum PasswordVerification {
  MATCH,
  MISMATCH,
  /**
   * The hash uses an algorithm this library does not implement (versions 0 and 1 are scrypt, which
   * the JDK lacks); neither a match nor a mismatch can be claimed.
   */
  CANNOT_VERIFY
}
