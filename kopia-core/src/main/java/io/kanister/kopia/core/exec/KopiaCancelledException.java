package io.kanister.kopia.core.exec;

/** The calling thread was interrupted while kopia ran; kopia was stopped. */
public class KopiaCancelledException extends RuntimeException {
  public KopiaCancelledException(String verb) {
    super("'kopia " + verb + "' was cancelled");
  }
}
