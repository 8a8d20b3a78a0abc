package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.Secret;
import io.kanister.kopia.core.tls.CertificateFingerprint;

/**
 * The repository server's certificate (PEM, leaf first), its private key, and the fingerprint that
 * clients pin ({@code --server-cert-fingerprint}).
 */
public record ServerTls(
    String certificatePem, Secret privateKeyPem, CertificateFingerprint fingerprint) {
  @Override
  public String toString() {
    return "ServerTls[fingerprint=" + fingerprint + "]";
  }
}
