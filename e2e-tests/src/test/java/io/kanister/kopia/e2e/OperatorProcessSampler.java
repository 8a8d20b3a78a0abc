package io.kanister.kopia.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples operator processes every 100 ms from {@code /proc}: each one's resident set, and its
 * kopia children (descendants whose executable is named {@code kopia}: the shim has exec'd by then)
 * with their resident sets. Operators join the map as the test starts them.
 */
final class OperatorProcessSampler implements AutoCloseable {
  private final Map<String, Process> operators;
  private final Map<String, AtomicInteger> peakKopia = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> peakRss = new ConcurrentHashMap<>();
  private final AtomicLong peakKopiaRss = new AtomicLong();
  private final AtomicInteger samples = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread sampler;

  OperatorProcessSampler(Map<String, Process> operators) {
    this.operators = operators;
  }

  void start() {
    running.set(true);
    sampler =
        new Thread(
            () -> {
              while (running.get()) {
                sample();
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "operator-process-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  void stop() throws InterruptedException {
    running.set(false);
    if (sampler != null) {
      sampler.join();
    }
  }

  private void sample() {
    for (var operator : Map.copyOf(operators).entrySet()) {
      Process process = operator.getValue();
      if (!process.isAlive()) {
        continue;
      }
      String who = operator.getKey();
      peakRss
          .computeIfAbsent(who, k -> new AtomicLong())
          .accumulateAndGet(rssKib(process.pid()), Math::max);
      int kopia = 0;
      for (ProcessHandle child : process.descendants().toList()) {
        if (child.info().command().map(c -> c.endsWith("/kopia")).orElse(false)) {
          kopia++;
          peakKopiaRss.accumulateAndGet(rssKib(child.pid()), Math::max);
        }
      }
      peakKopia.computeIfAbsent(who, k -> new AtomicInteger()).accumulateAndGet(kopia, Math::max);
    }
    samples.incrementAndGet();
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // ended meanwhile
    }
    return 0;
  }

  /** The most kopia children {@code who} had at once. */
  int peakKopia(String who) {
    return peakKopia.getOrDefault(who, new AtomicInteger()).get();
  }

  long peakKopiaRssKib() {
    return peakKopiaRss.get();
  }

  long peakRssKib(String who) {
    return peakRss.getOrDefault(who, new AtomicLong()).get();
  }

  int samples() {
    return samples.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
