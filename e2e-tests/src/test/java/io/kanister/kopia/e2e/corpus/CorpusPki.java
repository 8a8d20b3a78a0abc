package io.kanister.kopia.e2e.corpus;

import io.kanister.kopia.testsupport.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The certificates the TLS cases need: valid ones, an expired one, a future one, a chain. */
final class CorpusPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  final KeyPair caKey = TestPki.newRsaKey();
  final X509Certificate ca;
  final KeyPair leafKey = TestPki.newRsaKey();
  final X509Certificate leaf;
  final KeyPair otherKey = TestPki.newRsaKey();
  final X509Certificate expired;
  final X509Certificate notYetValid;

  CorpusPki() {
    Instant now = Instant.now();
    ca =
        sign("CN=corpus-ca", caKey, "CN=corpus-ca", caKey, now, now.plus(Duration.ofDays(2)), true);
    leaf =
        sign(
            "CN=localhost",
            leafKey,
            "CN=corpus-ca",
            caKey,
            now,
            now.plus(Duration.ofDays(1)),
            false);
    expired =
        sign(
            "CN=localhost",
            leafKey,
            "CN=corpus-ca",
            caKey,
            now.minus(Duration.ofDays(30)),
            now.minus(Duration.ofDays(1)),
            false);
    notYetValid =
        sign(
            "CN=localhost",
            leafKey,
            "CN=corpus-ca",
            caKey,
            now.plus(Duration.ofDays(10)),
            now.plus(Duration.ofDays(20)),
            false);
  }

  String leafPem() {
    return TestPki.pem(leaf);
  }

  String chainPem() {
    return TestPki.pem(leaf) + TestPki.pem(ca);
  }

  String wrongOrderChainPem() {
    return TestPki.pem(ca) + TestPki.pem(leaf);
  }

  String keyPem() {
    return TestPki.pem(leafKey.getPrivate());
  }

  private static X509Certificate sign(
      String subject,
      KeyPair subjectKey,
      String issuer,
      KeyPair issuerKey,
      Instant from,
      Instant to,
      boolean authority) {
    try {
      // Backdated a little so that a clock step does not make the valid ones invalid.
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer),
              new BigInteger(64, RANDOM),
              Date.from(from.minus(Duration.ofHours(1))),
              Date.from(to),
              new X500Name(subject),
              subjectKey.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign a corpus certificate", e);
    }
  }
}
