package io.kanister.kopia.e2e;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For the scale benchmark: while recording, runs the real kopia and keeps each subcommand's last
 * outcome (output or failure); while replaying, answers every subcommand with that outcome at once,
 * and writes the workspace's config file after a connect or create as kopia would. The operator's
 * control logic then runs for a thousand Repositories against one real sample, and kopia's own time
 * is measured on the sample only. Counts every command by subcommand either way.
 */
final class ReplayingKopiaRunner implements KopiaRunner {
  private static final List<String> WRITES = CountingKopiaRunner.WRITES;

  private final KopiaRunner real;
  private final Map<String, Object> last = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final AtomicLong realNanos = new AtomicLong();
  private final AtomicLong unrecorded = new AtomicLong();
  private volatile boolean replaying;

  ReplayingKopiaRunner(KopiaRunner real) {
    this.real = real;
  }

  /** From now on nothing runs kopia: each subcommand gets the sample's last outcome. */
  void replay() {
    replaying = true;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    String verb = command.verb();
    counts.computeIfAbsent(verb, v -> new AtomicLong()).incrementAndGet();
    Object outcome = replaying ? last.get(verb) : null;
    if (outcome == null) {
      if (replaying) {
        unrecorded.incrementAndGet();
      }
      long start = System.nanoTime();
      try {
        KopiaResult result = real.run(command);
        last.put(verb, result);
        return result;
      } catch (RuntimeException e) {
        last.put(verb, e);
        throw e;
      } finally {
        realNanos.addAndGet(System.nanoTime() - start);
      }
    }
    if (outcome instanceof RuntimeException failure) {
      throw failure;
    }
    if (verb.startsWith("repository connect") || verb.startsWith("repository create")) {
      touch(command.environment().get("KOPIA_CONFIG_PATH"));
    }
    return (KopiaResult) outcome;
  }

  private static void touch(String configPath) {
    if (configPath == null) {
      return;
    }
    try {
      Path file = Path.of(configPath);
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, "{}");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commands by subcommand so far. */
  Map<String, Long> counts() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((verb, n) -> copy.put(verb, n.get()));
    return copy;
  }

  static long reads(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .filter(e -> !WRITES.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach(
        (verb, n) -> {
          long d = n - before.getOrDefault(verb, 0L);
          if (d != 0) {
            delta.put(verb, d);
          }
        });
    return delta;
  }

  /** Summed wall time of the real kopia processes (the sample). */
  double realSeconds() {
    return realNanos.get() / 1e9;
  }

  /** Commands that had no recorded outcome while replaying, and so ran the real kopia. */
  long unrecorded() {
    return unrecorded.get();
  }
}
