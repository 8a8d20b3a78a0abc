package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.tls.CertificateFingerprint;

/**
 * The repository server's certificate (PEM, leaf first), its private key, and the fingerprint that
 * clients pin ({@code --server-cert-fingerprint}).
 */
public record ServerTls(
    String certificatePem, SecretValue privateKeyPem, CertificateFingerprint fingerprint) {
  @Override
  public String toString() {
    return "ServerTls[fingerprint=" + fingerprint + "]";
  }
}
