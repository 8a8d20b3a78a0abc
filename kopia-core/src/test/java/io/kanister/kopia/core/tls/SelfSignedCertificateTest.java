package io.kanister.kopia.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * The operator's own certificate encoder, read back by the JDK and, independently, by BouncyCastle
 * (test-only), which parses DER strictly and checks the signature over the exact TBS bytes.
 */
class SelfSignedCertificateTest {
  private static final Instant FROM = Instant.parse("2026-12-01T10:15:30.250Z");
  private static final Instant TO = Instant.parse("2027-12-01T10:15:30Z");
  private static final List<String> NAMES =
      List.of(
          "repo-monitoring",
          "repo-monitoring.kopia",
          "repo-monitoring.kopia.svc",
          "repo-monitoring.kopia.svc.cluster.local");

  private static final SelfSignedCertificate ISSUED =
      SelfSignedCertificate.issue("repo-monitoring", NAMES, FROM, TO);

  @Test
  void theJdkReadsAV3ServingCertificateThatSignsItself() throws Exception {
    X509Certificate cert = jdk(ISSUED.certificatePem());
    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=repo-monitoring");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(cert.getSerialNumber().signum()).isPositive();
    assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    cert.verify(cert.getPublicKey());
    // Whole seconds: the fraction of FROM is dropped, never rounded up past it.
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-12-01T10:15:30Z"));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(TO);
    assertThat(cert.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)))
        .containsExactlyElementsOf(List.<Object>copyOf(NAMES));
    assertThat(cert.getSubjectAlternativeNames()).allMatch(san -> san.get(0).equals(2)); // DNS
    assertThat(cert.getBasicConstraints()).isEqualTo(-1); // not a CA
    assertThat(cert.getKeyUsage()).startsWith(true).containsOnlyOnce(true); // digitalSignature
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
    assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
  }

  @Test
  void bouncyCastleAgreesOnEveryFieldAndTheSignature() throws Exception {
    X509CertificateHolder holder =
        new X509CertificateHolder(jdk(ISSUED.certificatePem()).getEncoded());
    assertThat(holder.getVersionNumber()).isEqualTo(3);
    assertThat(holder.getSubject()).isEqualTo(new X500Name("CN=repo-monitoring"));
    assertThat(holder.getIssuer()).isEqualTo(holder.getSubject());
    assertThat(
            holder.isSignatureValid(
                new JcaContentVerifierProviderBuilder()
                    .setProvider(new BouncyCastleProvider())
                    .build(holder.getSubjectPublicKeyInfo())))
        .isTrue();
    assertThat(holder.getNotAfter().toInstant()).isEqualTo(TO);
    GeneralNames sans =
        GeneralNames.fromExtensions(holder.getExtensions(), Extension.subjectAlternativeName);
    assertThat(sans.getNames())
        .allMatch(n -> n.getTagNo() == GeneralName.dNSName)
        .extracting(n -> n.getName().toString())
        .containsExactlyElementsOf(NAMES);
    assertThat(BasicConstraints.fromExtensions(holder.getExtensions()).isCA()).isFalse();
    assertThat(KeyUsage.fromExtensions(holder.getExtensions()).hasUsages(KeyUsage.digitalSignature))
        .isTrue();
    assertThat(KeyUsage.fromExtensions(holder.getExtensions()).hasUsages(KeyUsage.keyCertSign))
        .isFalse();
    assertThat(
            ExtendedKeyUsage.fromExtensions(holder.getExtensions())
                .hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth))
        .isTrue();
    // DER, not merely BER: re-encoding what BouncyCastle parsed gives back the same bytes.
    byte[] der = holder.getEncoded();
    assertThat(ASN1Primitive.fromByteArray(der).getEncoded("DER")).isEqualTo(der);
  }

  @Test
  void theKeyIsPkcs8AndBelongsToTheCertificate() {
    String key = ISSUED.privateKeyPem().reveal();
    assertThat(key)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(PemPrivateKey.read(key))
        .hasValueSatisfying(k -> assertThat(k.getAlgorithm()).isEqualTo("EC"));
    assertThat(ServerKeyPair.mismatchProblem(ISSUED.certificatePem(), key)).isEmpty();
    assertThat(ServerKeyPair.validityProblem(ISSUED.certificatePem(), FROM.plusSeconds(60)))
        .isEmpty();
    assertThat(ISSUED.toString()).doesNotContain(key.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void eachIssueHasItsOwnKeySerialAndFingerprint() throws Exception {
    SelfSignedCertificate again = SelfSignedCertificate.issue("repo-monitoring", NAMES, FROM, TO);
    assertThat(again.fingerprint()).isNotEqualTo(ISSUED.fingerprint());
    assertThat(jdk(again.certificatePem()).getSerialNumber())
        .isNotEqualTo(jdk(ISSUED.certificatePem()).getSerialNumber());
    assertThat(again.fingerprint()).isEqualTo(CertificateFingerprint.of(again.certificatePem()));
  }

  @Test
  void validityFrom2050IsAGeneralizedTime() throws Exception {
    Instant far = Instant.parse("2051-06-30T23:59:59Z");
    X509Certificate cert =
        jdk(SelfSignedCertificate.issue("far", List.of("far"), FROM, far).certificatePem());
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(far);
    assertThat(new X509CertificateHolder(cert.getEncoded()).getNotAfter().toInstant())
        .isEqualTo(far);
  }

  @Test
  void refusesNoNameAndAnEmptyValidity() {
    assertThatThrownBy(() -> SelfSignedCertificate.issue("x", List.of(), FROM, TO))
        .hasMessageContaining("at least one DNS name");
    assertThatThrownBy(() -> SelfSignedCertificate.issue("x", List.of("x"), TO, FROM))
        .hasMessageContaining("notAfter must be after notBefore");
  }

  static X509Certificate jdk(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
