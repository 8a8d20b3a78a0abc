package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.tls.ServerKeyPair;
import io.kanister.kopia.model.validation.Validated;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code kubernetes.io/tls} Secret named by {@code spec.server.tlsSecretName}. */
public final class TlsSecretParser {
  public static final String TLS_TYPE = "kubernetes.io/tls";
  public static final String CERTIFICATE = "tls.crt";
  public static final String PRIVATE_KEY = "tls.key";

  /** Written by cert-manager next to the pair; allowed and ignored. */
  public static final String CA_CERTIFICATE = "ca.crt";

  private static final Set<String> KEYS = Set.of(CERTIFICATE, PRIVATE_KEY, CA_CERTIFICATE);

  private TlsSecretParser() {}

  public static Validated<ServerTls> parse(SecretData data) {
    SecretReader reader = new SecretReader(data, Set.of(CERTIFICATE, PRIVATE_KEY, CA_CERTIFICATE));
    data.type()
        .filter(type -> !type.equals(TLS_TYPE) && !type.equals("Opaque"))
        .ifPresent(
            type ->
                reader.problemWithSecret(
                    "has type '"
                        + type
                        + "'; create it as type "
                        + TLS_TYPE
                        + " (kubectl create secret tls)"));
    reader.rejectUnknownKeys(KEYS, "in a TLS Secret");
    Optional<String> certificate =
        reader.required(CERTIFICATE, "the server certificate in PEM, leaf first");
    Optional<CertificateFingerprint> fingerprint =
        certificate.flatMap(pem -> fingerprint(reader, pem));
    Optional<SecretValue> key = reader.requiredSecret(PRIVATE_KEY, "the server private key in PEM");
    key.ifPresent(
        pem -> {
          String text = pem.reveal();
          if (!text.contains("-----BEGIN") || !text.contains("PRIVATE KEY-----")) {
            reader.problem(
                PRIVATE_KEY, "must be a PEM private key (-----BEGIN ... PRIVATE KEY-----)");
          }
        });
    if (reader.problems().isEmpty()) {
      // A pair the Kopia server cannot serve with is named here, not as a server that never starts.
      ServerKeyPair.validityProblem(certificate.orElseThrow(), Instant.now())
          .ifPresent(problem -> reader.problem(CERTIFICATE, problem));
      ServerKeyPair.mismatchProblem(certificate.orElseThrow(), key.orElseThrow().reveal())
          .ifPresent(problem -> reader.problem(PRIVATE_KEY, problem));
    }
    if (!reader.problems().isEmpty()) {
      return reader.invalid();
    }
    return Validated.valid(
        new ServerTls(certificate.orElseThrow(), key.orElseThrow(), fingerprint.orElseThrow()));
  }

  private static Optional<CertificateFingerprint> fingerprint(SecretReader reader, String pem) {
    try {
      return Optional.of(CertificateFingerprint.of(pem));
    } catch (IllegalArgumentException e) {
      reader.problem(
          CERTIFICATE, "must hold a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)");
      return Optional.empty();
    }
  }
}
