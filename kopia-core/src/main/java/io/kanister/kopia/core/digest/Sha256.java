package io.kanister.kopia.core.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
