package io.kanister.kopia.operator.repository;

import io.kanister.controller.events.EventRecorder;
import io.kanister.kopia.model.repository.Repository;
import java.util.Optional;

/**
 * A renewed server certificate (cert-manager rewrote the TLS Secret, or the operator renewed the
 * one it issued) changes the fingerprint every exported {@code repository.config} pins. The
 * operator writes every client's files again: dynamic users' through their workloads' annotation,
 * and those {@code kopia-operator export-client} wrote through the record it kept (ConfigMap {@code
 * <repository>-client-exports}). The Warning Event tells people why their clients' files change,
 * and what is not followed.
 */
final class ServerCertificateRenewal {
  static final String REASON = "ServerCertificateRenewed";

  private ServerCertificateRenewal() {}

  /** The message when {@code fingerprint} differs from the one in status, else empty. */
  static Optional<String> message(Repository repository, String secretName, String fingerprint) {
    String before =
        repository.getStatus() == null || repository.getStatus().getServer() == null
            ? null
            : repository.getStatus().getServer().getCertificateFingerprint();
    if (before == null || before.equalsIgnoreCase(fingerprint)) {
      return Optional.empty();
    }
    return Optional.of(
        "the server certificate in Secret "
            + repository.getMetadata().getNamespace()
            + "/"
            + secretName
            + " changed (fingerprint "
            + fingerprint.substring(0, Math.min(16, fingerprint.length()))
            + "...); the server restarts with it, and the client files of dynamic users and of"
            + " the pods export-client wrote into are written again. Files written anywhere else"
            + " (connect on a laptop, export-client with --password-stdin) pin the old"
            + " certificate: write them again (docs/rotations.md).");
  }

  /** Records the Warning Event once, in the pass that first sees the new fingerprint. */
  static void announce(
      EventRecorder events, Repository repository, String secretName, String fingerprint) {
    message(repository, secretName, fingerprint)
        .ifPresent(m -> events.warning(repository, REASON, m));
  }
}
