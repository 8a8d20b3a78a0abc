package io.kanister.kopia.e2e.corpus;

import java.util.Map;
import java.util.function.Function;

/**
 * One hostile Secret of the corpus and what must become of it.
 *
 * @param category what the case probes, for the figures (limits, keys, encodings, sizes, ...)
 * @param role which Secret of a Repository it is
 * @param secretType the Secret's {@code type}
 * @param data every value as raw bytes, given the case's marker (planted in every value)
 * @param rawBase64 values sent as written under {@code data}, not encoded by the test (base64
 *     tricks), given the marker
 * @param expected how it must end
 */
public record SecretCase(
    String name,
    String category,
    Role role,
    String secretType,
    Function<String, Map<String, byte[]>> data,
    Function<String, Map<String, String>> rawBase64,
    Expected expected) {

  public enum Role {
    LOCATION,
    ADMIN,
    TLS,
    ACCESS
  }

  /** Where the case is stopped. */
  public enum Stop {
    /** The API server refuses the Secret (schema, size, base64). */
    API_SERVER,
    /** The webhook refuses the Repository naming the Secret's key. */
    WEBHOOK,
    /** A False condition (or a failed user, for access Secrets) naming the Secret and the key. */
    CONDITION
  }

  /**
   * @param reason the condition's reason, or the failed user's reason; null for refusals
   * @param key the Secret key the message must name ({@code Secret ns/name, key 'k'}); null when
   *     the problem is with the whole Secret
   * @param fragment text the message must contain
   */
  public record Expected(Stop stop, String reason, String key, String fragment) {}

  SecretCase withRaw(Function<String, Map<String, String>> raw) {
    return new SecretCase(name, category, role, secretType, data, raw, expected);
  }
}
