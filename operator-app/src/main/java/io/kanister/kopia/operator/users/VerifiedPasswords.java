package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.PasswordVerification;
import io.kanister.kopia.core.user.UserPasswordHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, per user, that a password matched a stored hash, so that a resync with nothing changed
 * costs no PBKDF2 work. Only an HMAC of (username, password, stored hash) under a key that never
 * leaves this object is kept: no plaintext, and nothing useful outside this process.
 *
 * <p>Version-2 hashes are verified in Java; others (scrypt, made by kopia itself) cannot be, so
 * such a user counts as changed and is set once with a version-2 hash.
 */
public final class VerifiedPasswords {
  private static final String HMAC = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final Map<KopiaUsername, byte[]> matched = new ConcurrentHashMap<>();

  public VerifiedPasswords() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    key = new SecretKeySpec(bytes, HMAC);
  }

  /** True when {@code stored} is a hash of {@code password}; may cost one PBKDF2 derivation. */
  public boolean matches(KopiaUsername user, SecretValue password, UserPasswordHash stored) {
    byte[] digest = digest(user, password, stored);
    byte[] known = matched.get(user);
    if (known != null && MessageDigest.isEqual(known, digest)) {
      return true;
    }
    if (stored.verify(password) == PasswordVerification.MATCH) {
      matched.put(user, digest);
      return true;
    }
    matched.remove(user);
    return false;
  }

  /** Records a hash the operator just stored for {@code password}. */
  public void remember(KopiaUsername user, SecretValue password, UserPasswordHash stored) {
    matched.put(user, digest(user, password, stored));
  }

  public void forget(KopiaUsername user) {
    matched.remove(user);
  }

  public void retainOnly(Set<KopiaUsername> users) {
    matched.keySet().retainAll(users);
  }

  /** Whether a verification of this user would be answered without PBKDF2 (for tests). */
  boolean knows(KopiaUsername user) {
    return matched.containsKey(user);
  }

  private byte[] digest(KopiaUsername user, SecretValue password, UserPasswordHash stored) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      for (String part : new String[] {user.value(), password.reveal(), stored.encoded()}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        mac.update(bytes);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
