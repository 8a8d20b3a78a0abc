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

  /**
   * Writes the password first: a data mover starts once {@code repository.config} is there, so it
   * must find the password beside it. (Each file is replaced by a rename, so neither is ever seen
   * half-written.) A token rotation changes only the password, a certificate renewal only the
   * config: either order of the two writes leaves a working pair in between.
   */
  public void export(
      ClientConnection connection, SecretValue password, PodTarget target, ClientFiles files) {
    writer.write(target, files.passwordFile(), password.reveal().getBytes(StandardCharsets.UTF_8));
    writer.write(
        target, files.configFile(), connection.renderConfig().getBytes(StandardCharsets.UTF_8));
  }
}
