package io.kanister.kopia.operator.webhook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook's serving certificate chain and private key, read from the PEM files of a mounted
 * {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}). The operator never creates
 * certificates; cert-manager or an administrator does.
 */
public record ServingCertificate(X509Certificate[] chain, PrivateKey key) {
  private static final Pattern KEY_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]*PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  // AlgorithmIdentifier { rsaEncryption, NULL }, to wrap a PKCS#1 key as PKCS#8.
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
    Matcher block = KEY_BLOCK.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException(file + " holds no PEM private key");
    }
    byte[] der = Base64.getMimeDecoder().decode(block.group(2));
    byte[] pkcs8 =
        switch (block.group(1)) {
          case "PRIVATE KEY" -> der;
          case "RSA PRIVATE KEY" -> wrapRsa(der);
          default ->
              throw new IllegalArgumentException(
                  file
                      + " holds a '"
                      + block.group(1)
                      + "'; give an unencrypted PKCS#8 key ('PRIVATE KEY') or an RSA key (with"
                      + " cert-manager: privateKey.encoding: PKCS8)");
        };
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          file + " is not a " + algorithm + " private key for the certificate", e);
    }
  }

  private static byte[] wrapRsa(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.writeBytes(derHeader(0x04, pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream sequence = new ByteArrayOutputStream();
    sequence.writeBytes(derHeader(0x30, body.size()));
    sequence.writeBytes(body.toByteArray());
    return sequence.toByteArray();
  }

  private static byte[] derHeader(int tag, int length) {
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
    byte[] header = new byte[2 + bytes];
    header[0] = (byte) tag;
    header[1] = (byte) (0x80 | bytes);
    for (int i = 0; i < bytes; i++) {
      header[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
    }
    return header;
  }
}
