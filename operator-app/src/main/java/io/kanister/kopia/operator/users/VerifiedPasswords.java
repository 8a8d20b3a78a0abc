package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.PasswordVerification;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.operator.users.ManagedUsersConfigMap.UsersKeySecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers, per user, that a password matched a stored hash, so that neither a resync with nothing
 * changed nor an operator restart costs PBKDF2 work. What is kept is a digest: an HMAC-SHA256 of
 * (username, password, Kopia's stored hash record) under a random key. No plaintext is kept, and
 * without the key a digest tells nothing about the password, not even for a short one.
 *
 * <p>The digests are persisted in the record of managed users ({@link ManagedUsers#verified()}),
 * the key in a Secret only the operator writes ({@link UsersKeySecret}). A digest matches only
 * while all three inputs are the same: a new desired password, or a hash changed out of band (a
 * person ran {@code kopia server users set}), gives another digest, so the stored hash is verified
 * again and set when it is not of the desired password.
 *
 * <p>Version-2 hashes are verified in Java; others (scrypt, made by kopia itself) cannot be, so
 * such a user counts as changed and is set once with a version-2 hash.
 */
public final class VerifiedPasswords {
  /** Digest length in hex: 128 bits, far beyond guessing, and half the record size of 256. */
  private static final int DIGEST_HEX = 32;

  private static final String CONTEXT = "kopia-user-password-v1";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The HMAC key of one Repository's digests; {@link UsersKeySecret} in production. */
  @FunctionalInterface
  public interface KeySource {
    byte[] key();

    /** A random key for this process only: after a restart every password is verified again. */
    static KeySource ephemeral() {
      byte[] key = newKey();
      return () -> key;
    }
  }

  private final byte[] key;
  private final AtomicInteger derivations;
  private final Map<KopiaUsername, String> matched = new ConcurrentHashMap<>();
  private volatile Map<KopiaUsername, String> recorded = Map.of();

  public VerifiedPasswords() {
    this(newKey(), new AtomicInteger());
  }

  /**
   * @param derivations counts each PBKDF2 verification this object runs
   */
  VerifiedPasswords(byte[] key, AtomicInteger derivations) {
    this.key = key.clone();
    this.derivations = derivations;
  }

  static byte[] newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  boolean usesKey(byte[] other) {
    return MessageDigest.isEqual(key, other);
  }

  /** Digests persisted by an earlier pass or an earlier operator process, by user. */
  void recall(Map<KopiaUsername, String> digests) {
    recorded = Map.copyOf(digests);
  }

  /** True when {@code stored} is a hash of {@code password}; may cost one PBKDF2 derivation. */
  public boolean matches(KopiaUsername user, SecretValue password, UserPasswordHash stored) {
    String digest = digest(user, password, stored);
    if (same(digest, matched.get(user)) || same(digest, recorded.get(user))) {
      matched.put(user, digest);
      return true;
    }
    derivations.incrementAndGet();
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

  /** The digests of these users that matched or were written, for the record. */
  Map<KopiaUsername, String> digests(Collection<KopiaUsername> users) {
    Map<KopiaUsername, String> digests = new LinkedHashMap<>();
    for (KopiaUsername user : users) {
      String digest = matched.get(user);
      if (digest != null) {
        digests.put(user, digest);
      }
    }
    return digests;
  }

  private String digest(KopiaUsername user, SecretValue password, UserPasswordHash stored) {
    return Sha256.hmacHex(key, CONTEXT, user.value(), password.reveal(), stored.encoded())
        .substring(0, DIGEST_HEX);
  }

  private static boolean same(String digest, String known) {
    return known != null
        && MessageDigest.isEqual(
            digest.getBytes(StandardCharsets.US_ASCII), known.getBytes(StandardCharsets.US_ASCII));
  }
}
