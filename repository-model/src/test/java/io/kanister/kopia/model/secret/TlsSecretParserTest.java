package io.kanister.kopia.model.secret;

import static io.kanister.kopia.model.secret.SecretFixtures.dataOfType;
import static io.kanister.kopia.model.secret.SecretFixtures.problemsOf;
import static io.kanister.kopia.model.secret.SecretFixtures.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.testsupport.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsSecretParserTest {
  private static final TestPki.Issued SERVER =
      TestPki.newCa("test-ca")
          .issueServer("repo-monitoring", List.of("repo-monitoring.kanister.svc"), List.of());

  @Test
  void readsTheCertificateAndComputesItsFingerprint() {
    ServerTls tls =
        TlsSecretParser.parse(
                dataOfType(
                    "kubernetes.io/tls",
                    "tls.crt",
                    SERVER.certPem(),
                    "tls.key",
                    SERVER.keyPem(),
                    "ca.crt",
                    "ignored"))
            .value();

    assertThat(tls.fingerprint()).isEqualTo(CertificateFingerprint.of(SERVER.certPem()));
    assertThat(tls.privateKeyPem()).isEqualTo(SecretValue.of(SERVER.keyPem().stripTrailing()));
    assertThat(tls.toString()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void reportsMissingKeys() {
    SecretData data = dataOfType("kubernetes.io/tls");

    assertThat(problemsOf(TlsSecretParser.parse(data), data))
        .extracting(p -> p.where())
        .containsExactly(SecretFixtures.REF.key("tls.crt"), SecretFixtures.REF.key("tls.key"));
  }

  @Test
  void refusesWhatIsNotPemWithoutEchoingIt() {
    SecretData data =
        dataOfType(
            "kubernetes.io/tls",
            "tls.crt",
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----",
            "tls.key",
            "private-key-material-value");

    assertThat(texts(problemsOf(TlsSecretParser.parse(data), data)))
        .containsExactly(
            SecretFixtures.REF.key("tls.crt")
                + ": must hold a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)",
            SecretFixtures.REF.key("tls.key")
                + ": must be a PEM private key (-----BEGIN ... PRIVATE KEY-----)");
  }

  @Test
  void refusesASecretOfAnotherType() {
    SecretData data =
        dataOfType(
            "kubernetes.io/basic-auth", "tls.crt", SERVER.certPem(), "tls.key", SERVER.keyPem());

    assertThat(texts(problemsOf(TlsSecretParser.parse(data), data)))
        .containsExactly(
            "Secret kanister/repository-monitoring-location: has type 'kubernetes.io/basic-auth';"
                + " create it as type kubernetes.io/tls (kubectl create secret tls)");
  }
}
