package io.kanister.kopia.core.output;

/** Kopia printed something on stdout that is not the JSON shape this version is known to emit. */
public final class KopiaOutputException extends RuntimeException {

  public KopiaOutputException(String message) {
    super(message);
  }

  public KopiaOutputException(String message, Throwable cause) {
    super(message, cause);
  }
}
