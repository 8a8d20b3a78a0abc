package io.kanister.kopia.core.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kanister.kopia.core.secret.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A Kopia repository-user password hash: {@code salt || key}, 32 bytes each.
 *
 * <p>Only version 2 ({@code pbkdf2-sha256-600000}) is computed here, because the JDK has no scrypt.
 * Kopia's own {@code server users add/hash-password} still produce version 1 (scrypt), but any
 * version is accepted through {@code --user-password-hash}, in the form {@link #encoded()}.
 */
public final class UserPasswordHash {
  public static final int PBKDF2_VERSION = 2;
  static final int PBKDF2_ITERATIONS = 600_000;
  static final int SALT_LENGTH = 32;
  static final int KEY_LENGTH = 32;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int version;
  private final byte[] saltAndKey;

  private UserPasswordHash(int version, byte[] saltAndKey) {
    this.version = version;
    this.saltAndKey = saltAndKey;
  }

  /** A new version-2 hash with a random salt. */
  public static UserPasswordHash create(SecretValue password) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return create(password, salt);
  }

  static UserPasswordHash create(SecretValue password, byte[] salt) {
    if (salt.length != SALT_LENGTH) {
      throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes");
    }
    byte[] saltAndKey = Arrays.copyOf(salt, SALT_LENGTH + KEY_LENGTH);
    System.arraycopy(pbkdf2(password, salt), 0, saltAndKey, SALT_LENGTH, KEY_LENGTH);
    return new UserPasswordHash(PBKDF2_VERSION, saltAndKey);
  }

  /** A stored hash as Kopia keeps it in a user profile. */
  public static UserPasswordHash of(int version, String passwordHashBase64) {
    if (version < 0) {
      throw new IllegalArgumentException("password hash version must not be negative");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(passwordHashBase64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("password hash is not valid base64");
    }
    return new UserPasswordHash(version, bytes);
  }

  /** Reads the {@code --user-password-hash} / {@code server users hash-password} form. */
  public static UserPasswordHash decode(String encoded) {
    JsonNode node;
    try {
      node = JSON.readTree(Base64.getDecoder().decode(encoded.strip()));
    } catch (IllegalArgumentException | IOException e) {
      throw new IllegalArgumentException(
          "encoded password hash must be base64 of JSON {passwordHashVersion, passwordHash}");
    }
    if (node == null || !node.path("passwordHash").isTextual()) {
      throw new IllegalArgumentException("encoded password hash has no passwordHash field");
    }
    return of(node.path("passwordHashVersion").asInt(0), node.path("passwordHash").asText());
  }

  public int version() {
    return version;
  }

  public String passwordHashBase64() {
    return Base64.getEncoder().encodeToString(saltAndKey);
  }

  /**
   * The value for {@code kopia server users add|set --user-password-hash}: base64 of {@code
   * {"passwordHashVersion":N,"passwordHash":"..."}}, the exact shape {@code server users
   * hash-password} prints.
   */
  public String encoded() {
    ObjectNode node = JSON.createObjectNode();
    node.put("passwordHashVersion", version);
    node.put("passwordHash", passwordHashBase64());
    return Base64.getEncoder().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  public PasswordVerification verify(SecretValue password) {
    if (version != PBKDF2_VERSION) {
      return PasswordVerification.CANNOT_VERIFY;
    }
    if (saltAndKey.length != SALT_LENGTH + KEY_LENGTH) {
      return PasswordVerification.MISMATCH;
    }
    byte[] salt = Arrays.copyOfRange(saltAndKey, 0, SALT_LENGTH);
    byte[] expected = Arrays.copyOfRange(saltAndKey, SALT_LENGTH, SALT_LENGTH + KEY_LENGTH);
    return MessageDigest.isEqual(pbkdf2(password, salt), expected)
        ? PasswordVerification.MATCH
        : PasswordVerification.MISMATCH;
  }

  public static PasswordVerification matches(
      SecretValue password, String storedHashBase64, int version) {
    return of(version, storedHashBase64).verify(password);
  }

  private static byte[] pbkdf2(SecretValue password, byte[] salt) {
    if (password.reveal().isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
    // SunJCE encodes the chars as UTF-8, like Go's []byte(password).
    PBEKeySpec spec =
        new PBEKeySpec(password.reveal().toCharArray(), salt, PBKDF2_ITERATIONS, KEY_LENGTH * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UserPasswordHash that
        && version == that.version
        && MessageDigest.isEqual(saltAndKey, that.saltAndKey);
  }

  @Override
  public int hashCode() {
    return 31 * version + Arrays.hashCode(saltAndKey);
  }

  @Override
  public String toString() {
    return "UserPasswordHash{version=" + version + ", passwordHash=REDACTED}";
  }
}
