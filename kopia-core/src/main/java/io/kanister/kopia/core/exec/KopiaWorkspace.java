package io.kanister.kopia.core.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An isolated folder for one use of kopia: its config file, cache and logs. Kopia keeps connection
 * state (including storage keys) in the config file, so every repository gets its own workspace and
 * nothing is shared through the user's home folder.
 */
public record KopiaWorkspace(Path root) {

  /** Creates a private (0700) workspace folder under {@code parent}. */
  public static KopiaWorkspace create(Path parent, String name) {
    try {
      Files.createDirectories(parent);
      Path root = parent.resolve(name);
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
      return new KopiaWorkspace(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create kopia workspace under " + parent, e);
    }
  }

  public static KopiaWorkspace temporary(String prefix) {
    try {
      return new KopiaWorkspace(
          Files.createTempDirectory(
              prefix,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary kopia workspace", e);
    }
  }

  public Path configFile() {
    return root.resolve("repository.config");
  }

  public Path cacheDirectory() {
    return root.resolve("cache");
  }

  public Path logDirectory() {
    return root.resolve("logs");
  }

  /** The environment that points kopia at this workspace (no secrets). */
  public Map<String, String> environment() {
    return Map.of(
        "KOPIA_CONFIG_PATH", configFile().toString(),
        "KOPIA_CACHE_DIRECTORY", cacheDirectory().toString(),
        "KOPIA_LOG_DIR", logDirectory().toString(),
        "HOME", root.resolve("home").toString(),
        // The password is passed on every call instead of being written next to the config.
        "KOPIA_PERSIST_CREDENTIALS_ON_CONNECT", "false",
        "KOPIA_USE_KEYRING", "false",
        "KOPIA_LOG_DIR_MAX_FILES", "20");
  }

  /** Removes the workspace, including the config file that may hold storage keys. */
  public void delete() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete kopia workspace " + root, e);
    }
  }
}
