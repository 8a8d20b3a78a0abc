package io.kanister.kopia.operator.export;

import io.kanister.kopia.core.secret.SecretValue;
import java.nio.charset.StandardCharsets;

/**
 * Hands a data mover what it needs to connect: the client {@code repository.config} and the
 * password file, both mode 0600, written into its container.
 */
public final class ClientExporter {
  private final PodFileWriter writer;

  public ClientExporter(PodFileWriter writer) {
    this.writer = writer;
  }

  /** Writes the config first: a password without its config is of no use to a reader. */
  public void export(
      ClientConnection connection, SecretValue password, PodTarget target, ClientFiles files) {
    writer.write(
        target, files.configFile(), connection.renderConfig().getBytes(StandardCharsets.UTF_8));
    writer.write(target, files.passwordFile(), password.reveal().getBytes(StandardCharsets.UTF_8));
  }
}
