package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.StorageLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A filesystem location's directory must exist before kopia is asked to open or create a repository
 * there. It is never created by the operator: a missing directory usually means a volume that is
 * not mounted, and creating it would put the repository on the container's own, ephemeral disk.
 */
final class FilesystemDirectory {
  static final String REASON = "FilesystemPathNotFound";

  /** Not the storage backoff: nothing will change until someone creates or mounts it. */
  static final Duration RECHECK = Duration.ofSeconds(30);

  private FilesystemDirectory() {}

  /** Why the location cannot be used yet, or empty when it is not a filesystem location. */
  static Optional<String> missing(StorageLocation storage) {
    if (!(storage instanceof FilesystemLocation filesystem)) {
      return Optional.empty();
    }
    Path directory = Path.of(filesystem.path());
    if (Files.isDirectory(directory)) {
      return throughSymlink(directory);
    }
    String what = Files.exists(directory) ? "is not a directory" : "does not exist";
    return Optional.of(
        "the filesystem location "
            + directory
            + " "
            + what
            + " in the operator's container: create the directory, or mount the volume that"
            + " holds it there (it must be under --filesystem-roots); the operator never creates"
            + " it, so a missing volume cannot end up on the container's own disk. Rechecked"
            + " every "
            + RECHECK.toSeconds()
            + "s");
  }

  /**
   * The roots are checked on the path as written; a symbolic link on the way would lead kopia to a
   * directory outside them, so the path must be the directory's real one.
   */
  private static Optional<String> throughSymlink(Path directory) {
    try {
      if (directory.toRealPath().equals(directory.toAbsolutePath().normalize())) {
        return Optional.empty();
      }
    } catch (java.io.IOException e) {
      // Unreadable: reported below as a path that goes elsewhere.
    }
    return Optional.of(
        "the filesystem location "
            + directory
            + " goes through a symbolic link to another directory; give the directory's real"
            + " path (it must be under --filesystem-roots). Rechecked every "
            + RECHECK.toSeconds()
            + "s");
  }
}
