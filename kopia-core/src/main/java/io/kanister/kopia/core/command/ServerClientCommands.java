package io.kanister.kopia.core.command;

import io.kanister.kopia.core.tls.CertificateFingerprint;
import java.util.List;

/**
 * {@code kopia server status|refresh}: calls to a running server's control API as the control user.
 * Careful: these client commands read the control login from {@code KOPIA_SERVER_USERNAME} and
 * {@code KOPIA_SERVER_PASSWORD}, the same names that feed the UI user in {@code server start}.
 */
public final class ServerClientCommands {
  private ServerClientCommands() {}

  /** Lists the server's sources; exits non-zero unless the server answers and accepts the login. */
  public static KopiaCommand status(
      String url, CertificateFingerprint fingerprint, ServerCredentials credentials) {
    return call("status", url, fingerprint, credentials);
  }

  /** Makes the server re-read users, ACLs and policies now instead of at its next interval. */
  public static KopiaCommand refresh(
      String url, CertificateFingerprint fingerprint, ServerCredentials credentials) {
    return call("refresh", url, fingerprint, credentials);
  }

  private static KopiaCommand call(
      String verb, String url, CertificateFingerprint fingerprint, ServerCredentials credentials) {
    return KopiaCommand.builder()
        .args(
            List.of(
                "server",
                verb,
                "--address=" + url,
                "--server-cert-fingerprint=" + fingerprint.hex()))
        .putEnvironment("KOPIA_SERVER_USERNAME", credentials.controlUsername())
        .putSecretEnvironment("KOPIA_SERVER_PASSWORD", credentials.controlPassword().reveal())
        .build();
  }
}
