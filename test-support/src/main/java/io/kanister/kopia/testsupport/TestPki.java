package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests: a throwaway CA that signs serving and client certificates. Test-only; the
 * operator's own self-signed serving certificates come from kopia-core's SelfSignedCertificate,
 * which the tests cross-check with this library.
 */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKey;
  private final X509Certificate caCert;

  private TestPki(KeyPair caKey, X509Certificate caCert) {
    this.caKey = caKey;
    this.caCert = caCert;
  }

  public static TestPki newCa(String commonName) {
    KeyPair key = newRsaKey();
    X500Name name = new X500Name("CN=" + commonName);
    X509Certificate cert =
        sign(
            name,
            key,
            name,
            key,
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              builder.addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            });
    return new TestPki(key, cert);
  }

  /** A serving certificate for the given DNS names and IP addresses. */
  public Issued issueServer(String commonName, List<String> dnsNames, List<String> ips) {
    return issueServer(commonName, dnsNames, ips, newRsaKey());
  }

  /**
   * A serving certificate for an existing key: a renewal that keeps the key, as cert-manager can.
   */
  public Issued issueServer(
      String commonName, List<String> dnsNames, List<String> ips, KeyPair key) {
    GeneralName[] sans =
        java.util.stream.Stream.concat(
                dnsNames.stream().map(d -> new GeneralName(GeneralName.dNSName, d)),
                ips.stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip)))
            .toArray(GeneralName[]::new);
    X509Certificate cert =
        sign(
            new X500Name("CN=" + commonName),
            key,
            new X500Name(caCert.getSubjectX500Principal().getName()),
            caKey,
            builder -> {
              builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
              builder.addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            });
    return new Issued(key, cert);
  }

  /** A client certificate; Kubernetes reads the user from CN and groups from O. */
  public Issued issueClient(String user, String group) {
    KeyPair key = newRsaKey();
    X509Certificate cert =
        sign(
            new X500Name("CN=" + user + ",O=" + group),
            key,
            new X500Name(caCert.getSubjectX500Principal().getName()),
            caKey,
            builder ->
                builder.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
    return new Issued(key, cert);
  }

  public String caPem() {
    return pem(caCert);
  }

  public static KeyPair newRsaKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A certificate and its private key, both available as PEM. */
  public record Issued(KeyPair key, X509Certificate certificate) {
    public String certPem() {
      return pem(certificate);
    }

    public String keyPem() {
      return pem(key.getPrivate());
    }
  }

  private interface Extensions {
    void add(JcaX509v3CertificateBuilder builder) throws IOException;
  }

  private static X509Certificate sign(
      X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey, Extensions ext) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, RANDOM),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(30))),
              subject,
              subjectKey.getPublic());
      ext.add(builder);
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign test certificate", e);
    }
  }
}
