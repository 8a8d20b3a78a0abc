package io.kanister.kopia.operator.export;

/** Client files could not be written; the message never holds file content. */
public final class ExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExportException(String message) {
    super(message);
  }
}
