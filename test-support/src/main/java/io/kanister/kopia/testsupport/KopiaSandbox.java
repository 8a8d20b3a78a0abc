package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One test's view of the real kopia binary: an isolated config file, cache and scratch folder.
 *
 * <p>{@link #exec} is a deliberately plain process call for smoke tests of the test infrastructure
 * itself; product code runs kopia through kopia-core's runner.
 */
public record KopiaSandbox(Path binary, String version, Path root) {

  public Path configFile() {
    return root.resolve("config").resolve("repository.config");
  }

  public Path cacheDir() {
    return root.resolve("cache");
  }

  /** A fresh empty folder under the sandbox, for repositories, sources and restores. */
  public Path newDir(String name) {
    try {
      return Files.createDirectories(root.resolve("dirs").resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The environment every kopia call in a test should start from: no update checks, no keyring, and
   * config and cache inside the sandbox rather than the user's home.
   */
  public Map<String, String> baseEnvironment() {
    return Map.of(
        "KOPIA_CHECK_FOR_UPDATES", "false",
        "KOPIA_CONFIG_PATH", configFile().toString(),
        "KOPIA_CACHE_DIRECTORY", cacheDir().toString(),
        "KOPIA_LOG_DIR", root.resolve("logs").toString(),
        "HOME", root.resolve("home").toString());
  }

  public Result exec(Map<String, String> extraEnv, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(baseEnvironment());
    pb.environment().putAll(extraEnv);
    try {
      Path out = Files.createTempFile(root, "stdout", ".txt");
      Path err = Files.createTempFile(root, "stderr", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = pb.start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("kopia " + args[0] + " timed out");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public record Result(int exitCode, String stdout, String stderr) {}
}
