package io.kanister.kopia.core.config;

import io.kanister.kopia.core.tls.CertificateFingerprint;
import java.util.Optional;

/**
 * A connection through {@code kopia server} (the {@code apiServer} section of repo.config).
 *
 * @param url {@code https://host:port}, {@code unix+https://path} or {@code kopia://...}; the gRPC
 *     client accepts nothing else
 * @param serverCertFingerprint pins the server certificate; without it the system roots are used
 * @param localCacheKeyDerivationAlgorithm written by Kopia v0.23 on connect ({@code
 *     scrypt-65536-8-1} by default); absent means Kopia's default
 */
public record ApiServerConnection(
    String url,
    Optional<CertificateFingerprint> serverCertFingerprint,
    Optional<String> localCacheKeyDerivationAlgorithm)
    implements RepositoryConnection {

  public ApiServerConnection {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("API server URL must not be blank");
    }
    // Kopia trims one trailing slash from --url; trimming all keeps the value canonical.
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (!(url.startsWith("https://")
        || url.startsWith("unix+https://")
        || url.startsWith("kopia://"))) {
      throw new IllegalArgumentException(
          "API server URL must start with https://, unix+https:// or kopia:// (Kopia's gRPC client"
              + " is TLS-only)");
    }
  }

  public static ApiServerConnection of(String url, CertificateFingerprint fingerprint) {
    return new ApiServerConnection(url, Optional.of(fingerprint), Optional.empty());
  }
}
