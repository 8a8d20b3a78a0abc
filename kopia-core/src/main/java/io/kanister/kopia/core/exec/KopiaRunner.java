package io.kanister.kopia.core.exec;

import io.kanister.kopia.core.command.KopiaCommand;

/**
 * Runs kopia commands. The local implementation is {@link ProcessKopiaRunner}; the interface leaves
 * room for running kopia elsewhere, such as inside a pod over the exec API.
 */
public interface KopiaRunner {

  /**
   * Runs the command and returns its output.
   *
   * @throws KopiaException when kopia exits non-zero or times out; the message is secret-free
   * @throws KopiaCancelledException when the calling thread is interrupted; kopia is stopped
   */
  KopiaResult run(KopiaCommand command);
}
