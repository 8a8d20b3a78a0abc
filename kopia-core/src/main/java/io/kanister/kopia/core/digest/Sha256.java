package io.kanister.kopia.core.digest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256, the one digest of this project: certificate fingerprints, stable names, label values,
 * change keys.
 */
public final class Sha256 {
  private Sha256() {}

  /** The digest of {@code chunks} read one after the other. */
  public static byte[] of(byte[]... chunks) {
    MessageDigest sha = newDigest();
    for (byte[] chunk : chunks) {
      sha.update(chunk);
    }
    return sha.digest();
  }

  /**
   * The lowercase hex digest of the parts, each followed by a NUL so that ("ab","c") differs from
   * ("a","bc").
   */
  public static String hex(String... parts) {
    MessageDigest sha = newDigest();
    for (String part : parts) {
      sha.update(part.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * The lowercase hex HMAC-SHA256 under {@code key} of the parts, each followed by a NUL. Unlike
   * {@link #hex}, a digest of a low-entropy value cannot be brute-forced without the key.
   */
  public static String hmacHex(byte[] key, String... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[] {0} : key, "HmacSHA256"));
      for (String part : parts) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
      }
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java platform provides HmacSHA256", e);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
