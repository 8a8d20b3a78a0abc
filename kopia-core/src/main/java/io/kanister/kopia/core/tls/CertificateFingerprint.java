package io.kanister.kopia.core.tls;

import io.kanister.kopia.core.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value of {@code --server-cert-fingerprint}: SHA-256 of a certificate's DER encoding, as 64
 * lowercase hex digits without separators (what {@code kopia server start} prints as {@code SERVER
 * CERT SHA256}).
 */
public record CertificateFingerprint(String hex) {
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  public CertificateFingerprint {
    if (hex == null || !HEX_SHA256.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "certificate fingerprint must be 64 lowercase hex characters (SHA-256)");
    }
  }

  /**
   * Accepts the openssl form too ({@code AB:CD:...}): colons are removed and case is folded, since
   * Kopia itself only lowercases and would reject a value with colons.
   */
  public static CertificateFingerprint parse(String text) {
    return new CertificateFingerprint(text.trim().replace(":", "").toLowerCase(Locale.ROOT));
  }

  /** Fingerprint of the first certificate of a PEM bundle (a chain is allowed; leaf first). */
  public static CertificateFingerprint of(String pem) {
    byte[] der = firstCertificateDer(pem);
    try {
      CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "the first PEM CERTIFICATE block is not a valid X.509 certificate", e);
    }
    return ofDer(der);
  }

  /** The fingerprint of a certificate already in DER form, e.g. one presented in a handshake. */
  public static CertificateFingerprint ofDer(byte[] der) {
    return new CertificateFingerprint(HexFormat.of().formatHex(Sha256.of(der)));
  }

  private static byte[] firstCertificateDer(String pem) {
    if (pem == null) {
      throw new IllegalArgumentException("certificate PEM must not be null");
    }
    int begin = pem.indexOf(BEGIN);
    if (begin < 0) {
      throw new IllegalArgumentException("no '" + BEGIN + "' block found in the PEM text");
    }
    int end = pem.indexOf(END, begin);
    if (end < 0) {
      throw new IllegalArgumentException("PEM certificate block has no '" + END + "' line");
    }
    String body = pem.substring(begin + BEGIN.length(), end);
    try {
      return Base64.getDecoder().decode(WHITESPACE.matcher(body).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM certificate block is not valid base64", e);
    }
  }

  @Override
  public String toString() {
    return hex;
  }
}
