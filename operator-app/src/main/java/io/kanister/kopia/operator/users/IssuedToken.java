package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import java.time.Duration;
import java.time.Instant;

/** A ServiceAccount token and its validity, as the TokenRequest API granted it. */
public record IssuedToken(SecretValue token, Instant issuedAt, Instant expiresAt) {
  public IssuedToken {
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("a token must expire after it is issued");
    }
  }

  /** When to replace it: after {@code fraction} of its granted lifetime. */
  public Instant rotationDue(double fraction) {
    long lifetimeMillis = Duration.between(issuedAt, expiresAt).toMillis();
    return issuedAt.plusMillis((long) (lifetimeMillis * fraction));
  }

  @Override
  public String toString() {
    return "IssuedToken[issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
  }
}
