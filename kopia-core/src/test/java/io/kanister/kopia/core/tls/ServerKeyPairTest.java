package io.kanister.kopia.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.testsupport.TestPki;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key check the Kopia server's TLS Secret gets, and the PEM key reader it shares. */
class ServerKeyPairTest {
  private static final TestPki.Issued SERVER =
      TestPki.newCa("test-ca").issueServer("server", List.of("server"), List.of());

  @Test
  void theLeafsOwnKeyMatchesInBothEncodings() {
    assertThat(SERVER.keyPem()).contains("BEGIN RSA PRIVATE KEY");
    assertThat(ServerKeyPair.mismatchProblem(SERVER.certPem(), SERVER.keyPem())).isEmpty();
    assertThat(ServerKeyPair.mismatchProblem(SERVER.certPem(), pkcs8Pem(SERVER.key()))).isEmpty();
  }

  @Test
  void anotherKeyIsReportedWithoutKeyMaterial() {
    String other = TestPki.pem(TestPki.newRsaKey().getPrivate());
    assertThat(ServerKeyPair.mismatchProblem(SERVER.certPem(), other))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .contains("does not belong to the first certificate")
                    .doesNotContain(other.lines().skip(1).findFirst().orElseThrow()));
  }

  @Test
  void theReaderSaysWhatItFoundAndWhatToGive() {
    assertThatThrownBy(() -> PemPrivateKey.pkcs8("no key here"))
        .hasMessage("holds no PEM private key");
    String encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nc2VjcmV0\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assertThatThrownBy(() -> PemPrivateKey.pkcs8(encrypted))
        .hasMessageContaining("'ENCRYPTED PRIVATE KEY'")
        .hasMessageContaining("privateKey.encoding: PKCS8")
        .hasMessageNotContaining("c2VjcmV0");
    assertThat(PemPrivateKey.read(encrypted)).isEmpty();
    assertThat(PemPrivateKey.read(SERVER.keyPem())).contains(SERVER.key().getPrivate());
  }

  @Test
  void anExpiredOrNotYetValidCertificateIsReported() {
    Instant notAfter = SERVER.certificate().getNotAfter().toInstant();
    assertThat(ServerKeyPair.validityProblem(SERVER.certPem(), Instant.now())).isEmpty();
    assertThat(ServerKeyPair.validityProblem(SERVER.certPem(), notAfter.plusSeconds(60)))
        .isPresent();
  }

  private static String pkcs8Pem(KeyPair key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
