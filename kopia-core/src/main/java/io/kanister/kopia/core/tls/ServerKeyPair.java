package io.kanister.kopia.core.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a server certificate and its private key the way the Kopia server will use them, so that a
 * pair that cannot serve is reported on the Secret's keys instead of as a server that never starts.
 * Messages never contain key material.
 */
public final class ServerKeyPair {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----");

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

  private ServerKeyPair() {}

  /** Why the first certificate of {@code certificatePem} is not valid at {@code now}, if so. */
  public static Optional<String> validityProblem(String certificatePem, Instant now) {
    X509Certificate leaf = leaf(certificatePem);
    if (leaf == null) {
      return Optional.empty();
    }
    if (leaf.getNotAfter().toInstant().isBefore(now)) {
      return Optional.of(
          "holds a certificate that expired on "
              + leaf.getNotAfter().toInstant()
              + "; renew it (cert-manager renews before expiry)");
    }
    if (leaf.getNotBefore().toInstant().isAfter(now)) {
      return Optional.of(
          "holds a certificate that is not valid before "
              + leaf.getNotBefore().toInstant()
              + "; check the issuer's clock or wait");
    }
    return Optional.empty();
  }

  /**
   * Whether the private key belongs to the first certificate: a signature made with the key must
   * verify with the certificate's public key. Empty when they match or when the key's encoding is
   * one Java cannot read (SEC1 EC keys); the Kopia server then judges it itself.
   */
  public static Optional<String> mismatchProblem(String certificatePem, String keyPem) {
    X509Certificate leaf = leaf(certificatePem);
    Optional<PrivateKey> key = privateKey(keyPem);
    if (leaf == null || key.isEmpty()) {
      return Optional.empty();
    }
    String algorithm =
        switch (key.get().getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return Optional.empty();
    }
    try {
      byte[] challenge =
          "kopia-operator key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key.get());
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return Optional.empty();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // A key of one type and a certificate of another lands here too: not a pair.
    }
    return Optional.of(
        "does not belong to the first certificate of tls.crt (the leaf); put the leaf's own key"
            + " here, or the leaf first in tls.crt");
  }

  private static X509Certificate leaf(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(
                      pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static Optional<PrivateKey> privateKey(String pem) {
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      return Optional.empty();
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(2));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    byte[] pkcs8 =
        switch (block.group(1)) {
          case "PRIVATE KEY" -> der;
          case "RSA PRIVATE KEY" -> wrapRsa(der);
          default -> null;
        };
    if (pkcs8 == null) {
      return Optional.empty();
    }
    for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return Optional.of(
            KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next type
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
