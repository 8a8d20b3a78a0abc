package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.tls.SelfSignedCertificate;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Repository that names no TLS Secret, on the real parts (real kopia, a filesystem repository, a
 * real API server): the operator issues the serving certificate into its own Secret, the server
 * mounts it, status carries its fingerprint, a pass on a current certificate writes nothing, one
 * about to expire is renewed with the renewal Event, and switching to a user's Secret and back
 * works.
 */
@RealKopia
@RealKubernetes
class IssuedServerCertificateIT {
  private static final String NAME = "repository-app";
  private static final String SERVICE = "repo-app";
  private static final String ISSUED = SERVICE + "-tls";

  @Test
  void issuedRenewedAndSwitched(KopiaSandbox sandbox, TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(client, ns.name(), sandbox.binary(), sandbox.root())) {
      operator.filesystemLocation("app-location", sandbox.newDir("repository"));
      operator.create("app", "app-location", null, spec -> spec.getServer().setTlsSecretName(null));

      // Issued: an owned kubernetes.io/tls Secret, mounted by the server, fingerprint in status.
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("True/Created");
      assertThat(operator.condition(NAME, "ServerReady")).isEqualTo("False/Starting");
      Repository stored = operator.get(NAME);
      Secret issued = secret(client, ns, ISSUED);
      assertThat(issued.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(OwnerReferences.isControlledBy(issued, stored)).isTrue();
      X509Certificate first = certificate(issued);
      assertThat(
              Duration.between(first.getNotBefore().toInstant(), first.getNotAfter().toInstant()))
          .isEqualTo(IssuedTlsSecret.VALIDITY.plus(IssuedTlsSecret.BACKDATE));
      assertThat(first.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
          .contains(SERVICE + "." + ns.name() + ".svc");
      String firstFingerprint = fingerprint(issued);
      assertThat(stored.getStatus().getServer().getCertificateFingerprint())
          .isEqualTo(firstFingerprint);
      assertThat(mountedTlsSecret(client, ns)).isEqualTo(ISSUED);

      // A second pass on a current certificate writes nothing: no Secret, no Deployment change.
      operator.awaitSecretCached(ISSUED);
      String secretVersion = issued.getMetadata().getResourceVersion();
      String deploymentVersion = deployment(client, ns).getMetadata().getResourceVersion();
      operator.pass(NAME);
      assertThat(secret(client, ns, ISSUED).getMetadata().getResourceVersion())
          .isEqualTo(secretVersion);
      assertThat(deployment(client, ns).getMetadata().getResourceVersion())
          .isEqualTo(deploymentVersion);
      assertThat(operator.events(NAME, ServerCertificateRenewal.REASON)).isEmpty();

      // About to expire (a month left of ten): renewed, the server restarts with it, clients told.
      Instant now = Instant.now();
      SelfSignedCertificate old =
          SelfSignedCertificate.issue(
              SERVICE,
              IssuedTlsSecret.dnsNames(SERVICE, ns.name()),
              now.minus(Duration.ofDays(270)),
              now.plus(Duration.ofDays(30)));
      client
          .secrets()
          .inNamespace(ns.name())
          .withName(ISSUED)
          .edit(
              s -> {
                s.setData(
                    Map.of(
                        "tls.crt", base64(old.certificatePem()),
                        "tls.key", base64(old.privateKeyPem().reveal())));
                return s;
              });
      operator.awaitSecretCached(ISSUED);
      String hashBefore = inputsHash(deployment(client, ns));
      operator.pass(NAME);
      Secret renewed = secret(client, ns, ISSUED);
      String renewedFingerprint = fingerprint(renewed);
      assertThat(renewedFingerprint)
          .isNotEqualTo(firstFingerprint)
          .isNotEqualTo(CertificateFingerprint.of(old.certificatePem()).hex());
      assertThat(certificate(renewed).getNotAfter().toInstant())
          .isAfter(now.plus(IssuedTlsSecret.VALIDITY).minus(Duration.ofMinutes(5)));
      assertThat(operator.get(NAME).getStatus().getServer().getCertificateFingerprint())
          .isEqualTo(renewedFingerprint);
      assertThat(operator.events(NAME, ServerCertificateRenewal.REASON))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage())
                    .contains("Secret " + ns.name() + "/" + ISSUED)
                    .contains(renewedFingerprint.substring(0, 16))
                    .doesNotContain("PRIVATE KEY");
              });
      assertThat(inputsHash(deployment(client, ns))).isNotEqualTo(hashBefore);
      assertThat(operator.message(NAME, "ServerReady")).doesNotContain("PRIVATE KEY");

      // And the pass after the renewal writes nothing again.
      operator.awaitSecretCached(ISSUED);
      String renewedVersion = renewed.getMetadata().getResourceVersion();
      operator.pass(NAME);
      assertThat(secret(client, ns, ISSUED).getMetadata().getResourceVersion())
          .isEqualTo(renewedVersion);

      // Switched to the user's Secret: it serves, and the issued one is deleted.
      operator.edit(
          NAME,
          r -> {
            r.getSpec().getServer().setTlsSecretName("app-tls");
            return r;
          });
      operator.pass(NAME);
      String userFingerprint = fingerprint(secret(client, ns, "app-tls"));
      assertThat(operator.get(NAME).getStatus().getServer().getCertificateFingerprint())
          .isEqualTo(userFingerprint);
      assertThat(mountedTlsSecret(client, ns)).isEqualTo("app-tls");
      assertThat(client.secrets().inNamespace(ns.name()).withName(ISSUED).get()).isNull();
      assertThat(operator.events(NAME, ServerCertificateRenewal.REASON)).hasSize(2);

      // And back: a new certificate is issued and served.
      operator.awaitSecretCached(ISSUED);
      operator.edit(
          NAME,
          r -> {
            r.getSpec().getServer().setTlsSecretName(null);
            return r;
          });
      operator.pass(NAME);
      Secret reissued = secret(client, ns, ISSUED);
      assertThat(fingerprint(reissued))
          .isNotIn(firstFingerprint, renewedFingerprint, userFingerprint);
      assertThat(operator.get(NAME).getStatus().getServer().getCertificateFingerprint())
          .isEqualTo(fingerprint(reissued));
      assertThat(mountedTlsSecret(client, ns)).isEqualTo(ISSUED);
      assertThat(operator.condition(NAME, "RepositoryReady")).startsWith("True/");
    }
  }

  private static Secret secret(KubernetesClient client, TestNamespace ns, String name) {
    Secret secret = client.secrets().inNamespace(ns.name()).withName(name).get();
    assertThat(secret).as("Secret %s", name).isNotNull();
    return secret;
  }

  private static Deployment deployment(KubernetesClient client, TestNamespace ns) {
    return client.apps().deployments().inNamespace(ns.name()).withName(SERVICE).get();
  }

  private static String mountedTlsSecret(KubernetesClient client, TestNamespace ns) {
    return deployment(client, ns).getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals("tls"))
        .findFirst()
        .orElseThrow()
        .getSecret()
        .getSecretName();
  }

  private static String inputsHash(Deployment deployment) {
    return String.valueOf(deployment.getSpec().getTemplate().getMetadata().getAnnotations());
  }

  private static String fingerprint(Secret secret) {
    return CertificateFingerprint.of(text(secret, "tls.crt")).hex();
  }

  private static X509Certificate certificate(Secret secret) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(
                    text(secret, "tls.crt").getBytes(StandardCharsets.US_ASCII)));
  }

  private static String text(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
