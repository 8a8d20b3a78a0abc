package io.kanister.kopia.core.tls;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An unencrypted private key read from PEM, the two encodings cert-manager and openssl write:
 * PKCS#8 ({@code PRIVATE KEY}) and PKCS#1 RSA ({@code RSA PRIVATE KEY}). The Kopia server's key
 * check and the webhook's serving certificate read keys the same way. Messages never contain key
 * material.
 */
public final class PemPrivateKey {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]*PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  /** DER of AlgorithmIdentifier { rsaEncryption, NULL }, to wrap a PKCS#1 key as PKCS#8. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519");

  private PemPrivateKey() {}

  /**
   * The key's PKCS#8 DER.
   *
   * @throws IllegalArgumentException when there is no key block, or one in another encoding; the
   *     message says what was found and what to give instead
   */
  public static byte[] pkcs8(String pem) {
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException("holds no PEM private key");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("holds a PEM private key that is not valid base64");
    }
    return switch (block.group(1)) {
      case "PRIVATE KEY" -> der;
      case "RSA PRIVATE KEY" -> wrapRsa(der);
      default ->
          throw new IllegalArgumentException(
              "holds a '"
                  + block.group(1)
                  + "'; give an unencrypted PKCS#8 key ('PRIVATE KEY') or an RSA key (with"
                  + " cert-manager: privateKey.encoding: PKCS8)");
    };
  }

  /** The key, decoded as the given algorithm. */
  public static PrivateKey decode(byte[] pkcs8, String algorithm) throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  /** The key, of whichever algorithm (RSA, EC, Ed25519) decodes it; empty when none does. */
  public static Optional<PrivateKey> read(String pem) {
    byte[] pkcs8;
    try {
      pkcs8 = pkcs8(pem);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (String algorithm : ALGORITHMS) {
      try {
        return Optional.of(decode(pkcs8, algorithm));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    return Optional.empty();
  }

  /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
  private static byte[] wrapRsa(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(length(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(length(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    if (n < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }
}
