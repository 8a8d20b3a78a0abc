package io.kanister.kopia.operator.export;

/** Writes one file, mode 0600, into a container. */
@FunctionalInterface
public interface PodFileWriter {
  /**
   * @param content travels only in the request body (stdin), never on a command line
   * @throws ExportException when the file could not be written
   */
  void write(PodTarget target, String path, byte[] content);
}
