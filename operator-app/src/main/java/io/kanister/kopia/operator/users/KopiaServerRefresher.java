package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.command.ServerClientCommands;
import io.kanister.kopia.core.command.ServerCredentials;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.tls.CertificateFingerprint;

/** {@code kopia server refresh} against the server's control API, as the control user. */
public final class KopiaServerRefresher implements ServerRefresher {
  private final KopiaRunner runner;
  private final String url;
  private final CertificateFingerprint fingerprint;
  private final ServerCredentials credentials;

  public KopiaServerRefresher(
      KopiaRunner runner,
      String url,
      CertificateFingerprint fingerprint,
      ServerCredentials credentials) {
    this.runner = runner;
    this.url = url;
    this.fingerprint = fingerprint;
    this.credentials = credentials;
  }

  @Override
  public void refresh() {
    runner.run(ServerClientCommands.refresh(url, fingerprint, credentials));
  }
}
