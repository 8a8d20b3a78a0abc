package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.tls.SelfSignedCertificate;
import io.kanister.kopia.model.secret.SecretData;
import io.kanister.kopia.model.secret.TlsSecretParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the operator issues its serving certificate again, decided offline. */
class IssuedTlsSecretTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String SERVICE = "repo-app";
  private static final String NAMESPACE = "kopia";

  @Test
  void aFreshSecretIsATlsSecretTheParserAcceptsAndNeedsNothing() {
    Secret secret = IssuedTlsSecret.issue(NAMESPACE, SERVICE, Map.of("a", "b"), Instant.now());
    assertThat(secret.getMetadata().getName()).isEqualTo("repo-app-tls");
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    var parsed = TlsSecretParser.parse(SecretData.of(secret));
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.value().fingerprint())
        .isEqualTo(CertificateFingerprint.of(text(secret, "tls.crt")));
    assertThat(IssuedTlsSecret.renewalReason(secret, SERVICE, NAMESPACE, Instant.now())).isEmpty();
  }

  @Test
  void namesEveryAddressOfTheServiceIncludingTheUrlInStatus() {
    assertThat(IssuedTlsSecret.dnsNames(SERVICE, NAMESPACE))
        .containsExactly(
            "repo-app", "repo-app.kopia", "repo-app.kopia.svc", "repo-app.kopia.svc.cluster.local")
        .contains(
            new io.kanister.kopia.operator.server.ServerPlan(
                    "r",
                    NAMESPACE,
                    java.util.Optional.empty(),
                    SERVICE,
                    "i",
                    51515,
                    "c",
                    "t",
                    Map.of(),
                    null,
                    java.util.Optional.empty(),
                    "")
                .serviceHost());
  }

  @Test
  void renewedWhenLessThanAThirdOfItsValidityRemains() {
    Secret secret = IssuedTlsSecret.issue(NAMESPACE, SERVICE, Map.of(), NOW);
    Instant notBefore = NOW.minus(IssuedTlsSecret.BACKDATE);
    Instant notAfter = NOW.plus(IssuedTlsSecret.VALIDITY);
    Duration third = Duration.between(notBefore, notAfter).dividedBy(3);
    Instant renewFrom = notAfter.minus(third);
    assertThat(IssuedTlsSecret.renewalReason(secret, SERVICE, NAMESPACE, renewFrom.minusSeconds(1)))
        .isEmpty();
    assertThat(IssuedTlsSecret.renewalReason(secret, SERVICE, NAMESPACE, renewFrom.plusSeconds(1)))
        .hasValue("it expires on " + notAfter);
    assertThat(IssuedTlsSecret.renewalReason(secret, SERVICE, NAMESPACE, notAfter.plusSeconds(1)))
        .isPresent();
  }

  @Test
  void renewedWhenTheNamesNoLongerMatchTheService() {
    Secret secret = IssuedTlsSecret.issue("other-namespace", SERVICE, Map.of(), NOW);
    assertThat(IssuedTlsSecret.renewalReason(secret, SERVICE, NAMESPACE, NOW))
        .hasValueSatisfying(r -> assertThat(r).contains("not the server's Service"));
  }

  @Test
  void renewedWhenItHoldsNoPairOrAMismatchedOneOrOneFromTheFuture() {
    Secret empty = new SecretBuilder().withData(Map.of()).build();
    assertThat(IssuedTlsSecret.renewalReason(empty, SERVICE, NAMESPACE, NOW))
        .hasValue("it holds no readable certificate and key");
    Secret one = IssuedTlsSecret.issue(NAMESPACE, SERVICE, Map.of(), NOW);
    Secret other = IssuedTlsSecret.issue(NAMESPACE, SERVICE, Map.of(), NOW);
    Secret mixed =
        new SecretBuilder()
            .withData(
                Map.of(
                    "tls.crt",
                    one.getData().get("tls.crt"),
                    "tls.key",
                    other.getData().get("tls.key")))
            .build();
    assertThat(IssuedTlsSecret.renewalReason(mixed, SERVICE, NAMESPACE, NOW))
        .hasValue("its key does not belong to its certificate");
    assertThat(
            IssuedTlsSecret.renewalReason(one, SERVICE, NAMESPACE, NOW.minus(Duration.ofDays(1))))
        .hasValueSatisfying(r -> assertThat(r).startsWith("it is not valid before"));
  }

  @Test
  void aReasonNeverCarriesKeyMaterial() {
    SelfSignedCertificate wrong =
        SelfSignedCertificate.issue("x", List.of("x"), NOW, NOW.plus(Duration.ofDays(1)));
    Secret secret =
        new SecretBuilder()
            .withStringData(
                Map.of(
                    "tls.crt", wrong.certificatePem(), "tls.key", wrong.privateKeyPem().reveal()))
            .build();
    String reason = IssuedTlsSecret.renewalReason(secret, SERVICE, NAMESPACE, NOW).orElseThrow();
    assertThat(reason).isEqualTo("it names [x], not the server's Service");
  }

  private static String text(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }
}
