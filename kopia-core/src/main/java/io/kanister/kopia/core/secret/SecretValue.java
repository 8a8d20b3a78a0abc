package io.kanister.kopia.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A sensitive string (password, access key, token). Its {@link #toString()} never shows the value;
 * call {@link #reveal()} only at the point where the value leaves the process (environment, file).
 */
public final class SecretValue {
  private static final String REDACTED = "SecretValue[REDACTED]";

  private final String value;

  private SecretValue(String value) {
    this.value = value;
  }

  public static SecretValue of(String value) {
    return new SecretValue(Objects.requireNonNull(value, "secret value must not be null"));
  }

  public String reveal() {
    return value;
  }

  public boolean isBlank() {
    return value.isBlank();
  }

  @Override
  public boolean equals(Object other) {
    // Constant-time, so that comparing secrets does not leak how many leading characters match.
    return other instanceof SecretValue that
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
