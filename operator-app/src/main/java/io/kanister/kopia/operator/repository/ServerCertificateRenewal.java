package io.kanister.kopia.operator.repository;

import io.kanister.controller.events.EventRecorder;
import io.kanister.kopia.model.repository.Repository;
import java.util.Optional;

/**
 * A renewed server certificate (cert-manager rewrote the TLS Secret) changes the fingerprint every
 * exported {@code repository.config} pins. Dynamic users' files are written again by the operator;
 * files a person wrote with {@code kopia-operator export-client} are not (the operator does not
 * know where they went), so a Warning Event names the command to run again.
 */
final class ServerCertificateRenewal {
  static final String REASON = "ServerCertificateRenewed";

  private ServerCertificateRenewal() {}

  /** The message when {@code fingerprint} differs from the one in status, else empty. */
  static Optional<String> message(Repository repository, String fingerprint) {
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
            + repository.getSpec().getServer().getTlsSecretName()
            + " changed (fingerprint "
            + fingerprint.substring(0, Math.min(16, fingerprint.length()))
            + "...); the server restarts with it and dynamic users' client files are written"
            + " again. Client files written with kopia-operator export-client pin the old"
            + " certificate: run export-client again for each of them (docs/rotations.md).");
  }

  /** Records the Warning Event once, in the pass that first sees the new fingerprint. */
  static void announce(EventRecorder events, Repository repository, String fingerprint) {
    message(repository, fingerprint).ifPresent(m -> events.warning(repository, REASON, m));
  }
}
