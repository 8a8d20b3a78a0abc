package io.kanister.kopia.e2e;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the kopia processes the operator runs, by subcommand, and their summed wall time. */
public final class CountingKopiaRunner implements KopiaRunner {
  /** Subcommands that change the repository; everything else only reads it. */
  static final List<String> WRITES =
      List.of(
          "repository create",
          "policy set",
          "policy delete",
          "server users add",
          "server users set",
          "server users delete",
          "maintenance set",
          "maintenance run",
          "snapshot create",
          "snapshot delete");

  private final KopiaRunner delegate;
  private final List<String> verbs = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final AtomicLong nanos = new AtomicLong();

  public CountingKopiaRunner(KopiaRunner delegate) {
    this.delegate = delegate;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    long start = System.nanoTime();
    try {
      return delegate.run(command);
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
      verbs.add(command.verb());
      counts.merge(command.verb(), 1, Integer::sum);
    }
  }

  /** Stops the kopia processes still running, as the operator does on shutdown. */
  public void shutDown(Duration grace) {
    if (delegate instanceof ProcessKopiaRunner process) {
      process.shutDown(grace);
    }
  }

  public int invocations() {
    return verbs.size();
  }

  public long writes() {
    return verbs.stream().filter(WRITES::contains).count();
  }

  public Map<String, Integer> byVerb() {
    return Map.copyOf(counts);
  }

  public double totalSeconds() {
    return nanos.get() / 1e9;
  }

  /** A mark to measure what happens after it. */
  public int mark() {
    return verbs.size();
  }

  public List<String> since(int mark) {
    return List.copyOf(verbs.subList(mark, verbs.size()));
  }

  public long writesSince(int mark) {
    return since(mark).stream().filter(WRITES::contains).count();
  }
}
