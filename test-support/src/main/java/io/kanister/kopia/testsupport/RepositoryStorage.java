package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The storage under a Kopia repository, read directly (files or objects) rather than through kopia,
 * and the storage half of the issue 13 §3 invariants every fault scenario ends with: one
 * implementation for the in-JVM scenarios (operator-app's RepositoryInvariants) and the
 * process-level ones (e2e-tests).
 */
public interface RepositoryStorage {
  /** The names of the repository's blobs. */
  Set<String> blobs() throws Exception;

  /** The bytes of the format blob ({@code kopia.repository}). */
  byte[] formatBlob() throws Exception;

  /** A filesystem repository's blobs: its {@code .f} files under {@code root}. */
  static RepositoryStorage filesystem(Path root) {
    return new RepositoryStorage() {
      @Override
      public Set<String> blobs() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
          return files
              .filter(Files::isRegularFile)
              .map(p -> root.relativize(p).toString())
              .filter(name -> name.endsWith(".f"))
              .collect(Collectors.toCollection(TreeSet::new));
        }
      }

      @Override
      public byte[] formatBlob() throws IOException {
        return Files.readAllBytes(root.resolve("kopia.repository.f"));
      }
    };
  }

  /**
   * The repository's identity is the one recorded before {@code scenario}, its format blob is
   * byte-identical, and no blob it had is gone.
   *
   * @return the blobs now
   * @throws AssertionError naming the scenario and the invariant broken
   */
  default Set<String> assertUnchanged(
      String scenario,
      String uniqueIdBefore,
      String uniqueIdNow,
      byte[] formatBefore,
      Set<String> blobsBefore)
      throws Exception {
    if (!Objects.equals(uniqueIdBefore, uniqueIdNow)) {
      throw new AssertionError(
          scenario + ": recorded identity " + uniqueIdNow + ", expected " + uniqueIdBefore);
    }
    byte[] format = formatBlob();
    if (!Arrays.equals(formatBefore, format)) {
      throw new AssertionError(
          scenario
              + ": format blob changed ("
              + formatBefore.length
              + " bytes before, "
              + format.length
              + " now)");
    }
    Set<String> after = blobs();
    Set<String> removed = new TreeSet<>(blobsBefore);
    removed.removeAll(after);
    if (!removed.isEmpty()) {
      throw new AssertionError(scenario + ": blobs removed: " + removed);
    }
    return after;
  }
}
