package io.kanister.kopia.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Fixtures were generated with {@code openssl req -x509}; {@code leaf.sha256} is {@code openssl
 * x509 -noout -fingerprint -sha256} of {@code leaf.pem}, colons removed and lowercased.
 */
class CertificateFingerprintTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = CertificateFingerprintTest.class.getResourceAsStream("/tls/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void matchesOpensslFingerprint() throws IOException {
    String expected = resource("leaf.sha256").strip();

    assertThat(CertificateFingerprint.of(resource("leaf.pem")).hex()).isEqualTo(expected);
  }

  @Test
  void usesTheFirstCertificateOfAChain() throws IOException {
    String expected = resource("leaf.sha256").strip();

    assertThat(CertificateFingerprint.of(resource("chain.pem")).hex()).isEqualTo(expected);
  }

  @Test
  void toleratesCrlfAndSurroundingText() throws IOException {
    String pem = "subject=leaf\r\n" + resource("leaf.pem").replace("\n", "\r\n");

    assertThat(CertificateFingerprint.of(pem).hex()).isEqualTo(resource("leaf.sha256").strip());
  }

  @Test
  void parsesOpensslStyleFingerprint() {
    String hex = "d2e760d56d3d64a07bc29a6720f52493852d1199856af0ea74334e61c3149993";
    String openssl = hex.toUpperCase().replaceAll("(..)(?!$)", "$1:");

    assertThat(CertificateFingerprint.parse(openssl).hex()).isEqualTo(hex);
    assertThat(CertificateFingerprint.parse(hex)).hasToString(hex);
  }

  @Test
  void rejectsMissingBlock() {
    assertThatThrownBy(() -> CertificateFingerprint.of("-----BEGIN PRIVATE KEY-----\nAAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no '-----BEGIN CERTIFICATE-----' block");
  }

  @Test
  void rejectsUnterminatedBlock() {
    assertThatThrownBy(() -> CertificateFingerprint.of("-----BEGIN CERTIFICATE-----\nAAAA"))
        .hasMessageContaining("has no '-----END CERTIFICATE-----'");
  }

  @Test
  void rejectsBadBase64() {
    assertThatThrownBy(
            () ->
                CertificateFingerprint.of(
                    "-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n"))
        .hasMessage("PEM certificate block is not valid base64");
  }

  @Test
  void rejectsNonCertificateDer() {
    assertThatThrownBy(
            () ->
                CertificateFingerprint.of(
                    "-----BEGIN CERTIFICATE-----\nAAECAwQ=\n-----END CERTIFICATE-----\n"))
        .hasMessage("the first PEM CERTIFICATE block is not a valid X.509 certificate");
  }

  @Test
  void rejectsMalformedHex() {
    assertThatThrownBy(() -> CertificateFingerprint.parse("abc"))
        .hasMessageContaining("64 lowercase hex");
  }
}
