package io.kanister.kopia.core.tls;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.kanister.kopia.core.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * Checks a server certificate and its private key the way the Kopia server will use them, so that a
 * pair that cannot serve is reported on the Secret's keys instead of as a server that never starts.
 * Messages never contain key material.
 */
public final class ServerKeyPair {
  private ServerKeyPair() {}

  // Every pass checks its server's pair, and an RSA signature costs milliseconds of CPU (a fifth of
  // a steady pass at 1000 Repositories). The verdict depends only on the two texts, so it is kept
  // by their digest: a one-way hash, never the key.
  private static final Cache<String, Optional<String>> VERDICTS =
      CacheBuilder.newBuilder().maximumSize(4096).build();

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
    String pair = Sha256.hex(certificatePem, keyPem);
    Optional<String> known = VERDICTS.getIfPresent(pair);
    if (known != null) {
      return known;
    }
    Optional<String> verdict = check(certificatePem, keyPem);
    VERDICTS.put(pair, verdict);
    return verdict;
  }

  private static Optional<String> check(String certificatePem, String keyPem) {
    X509Certificate leaf = leaf(certificatePem);
    Optional<PrivateKey> key = PemPrivateKey.read(keyPem);
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
}
