package io.kanister.controller.metadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The runtime's one SHA-256 helper, for names and change stamps derived from content (Event names,
 * the desired-state annotation). The runtime depends on no module of the application it serves, so
 * it keeps its own.
 */
public final class ContentDigest {
  private ContentDigest() {}

  /** The lowercase hex SHA-256 of {@code text} in UTF-8, cut to its first {@code length} digits. */
  public static String hex(String text, int length) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
