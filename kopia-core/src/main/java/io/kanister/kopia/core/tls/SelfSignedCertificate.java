package io.kanister.kopia.core.tls;

import io.kanister.kopia.core.secret.SecretValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed X.509 v3 serving certificate with a fresh ECDSA P-256 key, built with the JDK
 * alone. Self-signed is enough for a Kopia server: its clients pin the certificate's SHA-256
 * fingerprint and check no chain (and no host name). The certificate says what it is for anyway
 * (DNS names, not a CA, digital signature, TLS server authentication), so other TLS tools read it
 * correctly.
 *
 * @param certificatePem the certificate, one PEM {@code CERTIFICATE} block
 * @param privateKeyPem the key as unencrypted PKCS#8 ({@code PRIVATE KEY}), which the Kopia server
 *     reads; never shown by {@link #toString()}
 */
public record SelfSignedCertificate(String certificatePem, SecretValue privateKeyPem) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String EC_PUBLIC_KEY_CURVE = "secp256r1";
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  /** Bit 0 (digitalSignature) set, the other 7 bits of the byte unused (X.690 §11.2.2). */
  private static final byte[] DIGITAL_SIGNATURE = Der.bitString(7, new byte[] {(byte) 0x80});

  /** The fingerprint Kopia clients pin. */
  public CertificateFingerprint fingerprint() {
    return CertificateFingerprint.of(certificatePem);
  }

  /**
   * Issues a certificate valid from {@code notBefore} to {@code notAfter} (whole seconds), for
   * {@code dnsNames}, subject and issuer {@code CN=commonName}.
   *
   * @throws IllegalArgumentException when there is no DNS name, or the validity is empty
   */
  public static SelfSignedCertificate issue(
      String commonName, List<String> dnsNames, Instant notBefore, Instant notAfter) {
    if (dnsNames.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one DNS name");
    }
    Instant from = notBefore.truncatedTo(ChronoUnit.SECONDS);
    Instant to = notAfter.truncatedTo(ChronoUnit.SECONDS);
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("notAfter must be after notBefore");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(EC_PUBLIC_KEY_CURVE), RANDOM);
      KeyPair key = generator.generateKeyPair();
      byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
      byte[] name = name(commonName);
      byte[] tbs =
          Der.sequence(
              Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
              Der.integer(serialNumber()),
              algorithm,
              name,
              Der.sequence(Der.time(from), Der.time(to)),
              name,
              key.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
              Der.explicit(3, extensions(dnsNames)));
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key.getPrivate(), RANDOM);
      signer.update(tbs);
      byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(0, signer.sign()));
      return new SelfSignedCertificate(
          pem("CERTIFICATE", certificate),
          SecretValue.of(pem("PRIVATE KEY", key.getPrivate().getEncoded())));
    } catch (GeneralSecurityException e) {
      // P-256 and SHA256withECDSA are required of every Java SE platform.
      throw new IllegalStateException("this JVM cannot make ECDSA P-256 keys or signatures", e);
    }
  }

  /** Name ::= RDNSequence with the one attribute CN, as UTF8String (RFC 5280 §4.1.2.4). */
  private static byte[] name(String commonName) {
    return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
  }

  /** 127 random bits: positive, non-zero, at most 20 octets (RFC 5280 §4.1.2.2). */
  private static BigInteger serialNumber() {
    return new BigInteger(127, RANDOM).setBit(0);
  }

  private static byte[] extensions(List<String> dnsNames) {
    byte[][] names =
        dnsNames.stream()
            .map(dns -> Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII))) // dNSName
            .toArray(byte[][]::new);
    return Der.sequence(
        extension(BASIC_CONSTRAINTS, true, Der.sequence()), // cA defaults to FALSE
        extension(KEY_USAGE, true, DIGITAL_SIGNATURE),
        extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
        extension(SUBJECT_ALT_NAME, false, Der.sequence(names)));
  }

  /** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
