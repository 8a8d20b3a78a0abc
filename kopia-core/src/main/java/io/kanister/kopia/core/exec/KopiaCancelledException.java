package io.kanister.kopia.core.exec;

/**
 * The calling thread was interrupted while kopia ran, or the runner was shut down; kopia was
 * stopped, or never started.
 */
public class KopiaCancelledException extends RuntimeException {
  public KopiaCancelledException(String verb) {
    super("'kopia " + verb + "' was cancelled");
  }
}
