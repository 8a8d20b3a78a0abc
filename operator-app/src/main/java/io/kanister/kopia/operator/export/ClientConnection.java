package io.kanister.kopia.operator.export;

import io.kanister.kopia.core.config.ApiServerConnection;
import io.kanister.kopia.core.config.ClientOptions;
import io.kanister.kopia.core.config.RepositoryConfig;
import io.kanister.kopia.core.config.RepositoryConfigFile;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.ServerStatus;

/**
 * How a data mover connects to a repository server as one access user: the server URL, the pinned
 * certificate fingerprint, and the user's name and host. Holds no password.
 */
public record ClientConnection(
    String serverUrl, CertificateFingerprint fingerprint, KopiaUsername username) {

  /**
   * The connection from a Repository's {@code status.server}.
   *
   * @throws IllegalStateException when the status has no server URL or fingerprint yet
   */
  public static ClientConnection of(Repository repository, KopiaUsername username) {
    ServerStatus server =
        repository.getStatus() == null ? null : repository.getStatus().getServer();
    String name =
        repository.getMetadata().getNamespace() + "/" + repository.getMetadata().getName();
    if (server == null || server.getUrl() == null || server.getUrl().isBlank()) {
      throw new IllegalStateException(
          "Repository " + name + " has no status.server.url yet; wait until its server is ready");
    }
    if (server.getCertificateFingerprint() == null) {
      throw new IllegalStateException(
          "Repository "
              + name
              + " has no status.server.certificateFingerprint; the server must use TLS");
    }
    return new ClientConnection(
        server.getUrl(),
        CertificateFingerprint.parse(server.getCertificateFingerprint()),
        username);
  }

  /** The client {@code repo.config}: API server connection, user and host. */
  public RepositoryConfig repositoryConfig() {
    return RepositoryConfig.builder()
        .connection(ApiServerConnection.of(serverUrl, fingerprint))
        .clientOptions(ClientOptions.of(username.host(), username.user()))
        .build();
  }

  public String renderConfig() {
    return RepositoryConfigFile.render(repositoryConfig());
  }
}
