package io.kanister.kopia.operator.webhook;

import io.kanister.kopia.core.tls.PemPrivateKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The webhook's serving certificate chain and private key, read from the PEM files of a mounted
 * {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}). The operator never creates
 * this certificate; cert-manager or an administrator does.
 */
public record ServingCertificate(X509Certificate[] chain, PrivateKey key) {
  /**
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when the PEM content is not a certificate chain and a matching
   *     unencrypted key; the message names the file, never its content
   */
  public static ServingCertificate read(Path certificateFile, Path keyFile) throws IOException {
    X509Certificate[] chain = certificates(Files.readAllBytes(certificateFile), certificateFile);
    PrivateKey key =
        privateKey(
            Files.readString(keyFile, StandardCharsets.US_ASCII),
            chain[0].getPublicKey().getAlgorithm(),
            keyFile);
    return new ServingCertificate(chain, key);
  }

  private static X509Certificate[] certificates(byte[] pem, Path file) {
    try {
      X509Certificate[] chain =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))
              .stream()
              .map(X509Certificate.class::cast)
              .toArray(X509Certificate[]::new);
      if (chain.length == 0) {
        throw new IllegalArgumentException(file + " holds no PEM certificate");
      }
      return chain;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + " is not a PEM certificate chain", e);
    }
  }

  private static PrivateKey privateKey(String pem, String algorithm, Path file) {
    byte[] pkcs8;
    try {
      pkcs8 = PemPrivateKey.pkcs8(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " " + e.getMessage());
    }
    try {
      return PemPrivateKey.decode(pkcs8, algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          file + " is not a " + algorithm + " private key for the certificate", e);
    }
  }
}
