package io.kanister.kopia.operator.tokens;

import java.time.Duration;

/**
 * How dynamic users' tokens are requested and rotated.
 *
 * @param audience the token audience; one the API server does not accept keeps these passwords from
 *     being usable as API credentials
 * @param lifetime the requested expiry (the API server refuses less than 10 minutes)
 * @param rotateAtFraction rotate after this part of the granted lifetime, in (0, 1)
 */
public record TokenSettings(String audience, Duration lifetime, double rotateAtFraction) {
  public static final String DEFAULT_AUDIENCE = "kopia-repository-server.kanister.io";
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  public static final double DEFAULT_ROTATE_AT_FRACTION = 0.8;
  private static final Duration MINIMUM_LIFETIME = Duration.ofMinutes(10);

  public TokenSettings {
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("the token audience must not be blank");
    }
    if (lifetime.compareTo(MINIMUM_LIFETIME) < 0) {
      throw new IllegalArgumentException(
          "the token lifetime must be at least 10m (the TokenRequest API minimum)");
    }
    if (!(rotateAtFraction > 0 && rotateAtFraction < 1)) {
      throw new IllegalArgumentException("the rotation fraction must be between 0 and 1");
    }
  }

  public static TokenSettings defaults() {
    return new TokenSettings(DEFAULT_AUDIENCE, DEFAULT_LIFETIME, DEFAULT_ROTATE_AT_FRACTION);
  }
}
