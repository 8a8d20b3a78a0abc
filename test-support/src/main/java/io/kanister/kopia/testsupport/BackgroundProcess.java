package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running real process for tests, such as {@code kopia server start}, with a clean
 * environment and its output in a log file. Tests run a server container's exact command line and
 * environment this way, since there is no kubelet.
 */
public final class BackgroundProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private BackgroundProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static BackgroundProcess start(List<String> command, Map<String, String> env, Path log) {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(env);
    builder.redirectOutput(log.toFile());
    try {
      return new BackgroundProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  /** Waits until the log contains {@code marker}; fails with the log if the process dies first. */
  public String awaitLogLine(String marker, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : logLines()) {
        if (line.contains(marker)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "process exited "
                + process.exitValue()
                + " before printing '"
                + marker
                + "':\n"
                + logText());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no '" + marker + "' within " + timeout + ":\n" + logText());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String logText() {
    return String.join("\n", logLines());
  }

  private List<String> logLines() {
    try {
      return Files.readAllLines(log);
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A free loopback port (racy by nature, fine for tests). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
