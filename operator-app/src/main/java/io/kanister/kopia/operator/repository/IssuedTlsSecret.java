package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kanister.kopia.core.tls.SelfSignedCertificate;
import io.kanister.kopia.core.tls.ServerKeyPair;
import io.kanister.kopia.model.secret.TlsSecretParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The serving certificate the operator issues for a Repository whose spec names no TLS Secret:
 * self-signed, since Kopia clients pin its SHA-256 fingerprint and check no chain; a user who wants
 * a CA (cert-manager) names the Secret it fills instead. Kept in the owned {@code
 * kubernetes.io/tls} Secret {@code <service>-tls}; pure functions, no client calls.
 */
final class IssuedTlsSecret {
  /** How long an issued certificate is valid. */
  static final Duration VALIDITY = Duration.ofDays(365);

  /**
   * Renewed when less than this share of its validity remains (1/3: about four months of a year),
   * so that a cluster whose operator was down for weeks still renews long before clients fail.
   */
  static final int RENEW_WHEN_REMAINING_BELOW_ONE_IN = 3;

  /** Valid from a little before issue, for TLS tools on nodes whose clocks run behind. */
  static final Duration BACKDATE = Duration.ofHours(1);

  private IssuedTlsSecret() {}

  static String name(String serviceName) {
    return serviceName + "-tls";
  }

  /**
   * Every name the server's Service answers to in the cluster. Kopia clients do not check names
   * (they pin the fingerprint), but other TLS tools do, and the URL in status is one of these.
   */
  static List<String> dnsNames(String serviceName, String namespace) {
    return List.of(
        serviceName,
        serviceName + "." + namespace,
        serviceName + "." + namespace + ".svc",
        serviceName + "." + namespace + ".svc.cluster.local");
  }

  /** A fresh certificate and key in a Secret to create or to replace the held one with. */
  static Secret issue(
      String namespace, String serviceName, Map<String, String> labels, Instant now) {
    SelfSignedCertificate issued =
        SelfSignedCertificate.issue(
            serviceName, dnsNames(serviceName, namespace), now.minus(BACKDATE), now.plus(VALIDITY));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(serviceName))
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withType(TlsSecretParser.TLS_TYPE)
        .withData(
            Map.of(
                TlsSecretParser.CERTIFICATE,
                base64(issued.certificatePem()),
                TlsSecretParser.PRIVATE_KEY,
                base64(issued.privateKeyPem().reveal())))
        .build();
  }

  /**
   * Why the held Secret must be issued again, or empty while it serves: it holds no readable pair,
   * its names are not the server's, or less than a third of its validity remains. The reason names
   * dates and names, never key material.
   */
  static Optional<String> renewalReason(
      Secret held, String serviceName, String namespace, Instant now) {
    Optional<String> certificate = text(held, TlsSecretParser.CERTIFICATE);
    Optional<String> key = text(held, TlsSecretParser.PRIVATE_KEY);
    X509Certificate leaf = certificate.map(IssuedTlsSecret::leaf).orElse(null);
    if (leaf == null || key.isEmpty()) {
      return Optional.of("it holds no readable certificate and key");
    }
    if (ServerKeyPair.mismatchProblem(certificate.get(), key.get()).isPresent()) {
      return Optional.of("its key does not belong to its certificate");
    }
    List<String> names = subjectDnsNames(leaf);
    if (!names.equals(dnsNames(serviceName, namespace))) {
      return Optional.of("it names " + names + ", not the server's Service");
    }
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (notBefore.isAfter(now)) {
      return Optional.of("it is not valid before " + notBefore);
    }
    Duration remaining = Duration.between(now, notAfter);
    Duration lifetime = Duration.between(notBefore, notAfter);
    if (remaining.multipliedBy(RENEW_WHEN_REMAINING_BELOW_ONE_IN).compareTo(lifetime) < 0) {
      return Optional.of("it expires on " + notAfter);
    }
    return Optional.empty();
  }

  private static List<String> subjectDnsNames(X509Certificate leaf) {
    try {
      var sans = leaf.getSubjectAlternativeNames();
      return sans == null
          ? List.of()
          : sans.stream()
              .filter(san -> Objects.equals(san.get(0), 2)) // dNSName
              .map(san -> (String) san.get(1))
              .toList();
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  private static X509Certificate leaf(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static Optional<String> text(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return Optional.of(
            new String(
                Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(
        secret.getStringData() == null ? null : secret.getStringData().get(key));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
