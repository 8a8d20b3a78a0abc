package io.kanister.kopia.operator.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes "container" paths under a local folder, mode 0600, so real kopia can read them. */
public final class LocalFolderFileWriter implements PodFileWriter {
  private final Path root;

  public LocalFolderFileWriter(Path root) {
    this.root = root;
  }

  public Path local(String containerPath) {
    return root.resolve(containerPath.substring(1));
  }

  @Override
  public void write(PodTarget target, String path, byte[] content) {
    Path file = local(path);
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
