package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.kanister.kopia.testsupport.kube.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The operator container's processes and memory as the node sees them, sampled every 100 ms from
 * its memory cgroup ({@code cgroup.procs}, then {@code /proc/PID/comm} and {@code VmRSS} of each),
 * while the operator runs in its pod from the chart. A kopia that lives less than a sample interval
 * can be missed; the operator's kopia commands live longer than that.
 */
final class OperatorPodProcesses implements AutoCloseable {
  private static final long INTERVAL_MILLIS = 100;

  private final Path cgroup;
  private final Thread sampler;
  private volatile boolean running = true;
  private int samples;
  private int peakKopia;
  private long peakOneKopiaRss;
  private long peakAllKopiaRss;
  private long peakCgroupUsage;
  private final long usageAtStart;

  private OperatorPodProcesses(Path cgroup) {
    this.cgroup = cgroup;
    this.usageAtStart = usage();
    this.sampler = new Thread(this::sampleUntilClosed, "operator-pod-processes");
    this.sampler.setDaemon(true);
  }

  /** Starts sampling the operator container of {@code pod} (its first container). */
  static OperatorPodProcesses start(LocalCluster cluster, Pod pod) throws IOException {
    long pid = cluster.containerPid(pod.getStatus().getContainerStatuses().get(0).getContainerID());
    String memoryPath =
        Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
            .map(l -> l.split(":", 3))
            .filter(f -> f.length == 3 && List.of(f[1].split(",")).contains("memory"))
            .map(f -> f[2])
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no memory cgroup for PID " + pid));
    OperatorPodProcesses processes =
        new OperatorPodProcesses(Path.of("/sys/fs/cgroup/memory" + memoryPath));
    processes.sampler.start();
    return processes;
  }

  /** What one look at the container shows now. */
  record Sample(int kopia, long oneKopiaMaxRss, long allKopiaRss) {}

  Sample now() {
    int kopia = 0;
    long one = 0;
    long all = 0;
    for (long pid : procs()) {
      if (!"kopia".equals(read(Path.of("/proc/" + pid + "/comm")).strip())) {
        continue;
      }
      long rss = rssBytes(pid);
      kopia++;
      one = Math.max(one, rss);
      all += rss;
    }
    return new Sample(kopia, one, all);
  }

  synchronized int peakKopia() {
    return peakKopia;
  }

  /** The figures line: peak kopia count, their RSS, the container's memory. */
  synchronized String figures() {
    return String.format(
        Locale.ROOT,
        "%d samples every %d ms: peak %d kopia at once; peak RSS of one kopia %.1f MiB, of all"
            + " kopia together %.1f MiB; operator container memory cgroup usage %.1f MiB at"
            + " start, peak while sampled %.1f MiB, max_usage_in_bytes (since the container"
            + " started) %s, limit %s",
        samples,
        INTERVAL_MILLIS,
        peakKopia,
        mib(peakOneKopiaRss),
        mib(peakAllKopiaRss),
        mib(usageAtStart),
        mib(peakCgroupUsage),
        counter("memory.max_usage_in_bytes")
            .map(v -> String.format("%.1f MiB", mib(v)))
            .orElse("?"),
        counter("memory.limit_in_bytes").map(v -> String.format("%.0f MiB", mib(v))).orElse("?"));
  }

  private void sampleUntilClosed() {
    while (running) {
      Sample sample = now();
      long usage = usage();
      synchronized (this) {
        samples++;
        peakKopia = Math.max(peakKopia, sample.kopia());
        peakOneKopiaRss = Math.max(peakOneKopiaRss, sample.oneKopiaMaxRss());
        peakAllKopiaRss = Math.max(peakAllKopiaRss, sample.allKopiaRss());
        peakCgroupUsage = Math.max(peakCgroupUsage, usage);
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private List<Long> procs() {
    List<Long> pids = new ArrayList<>();
    read(cgroup.resolve("cgroup.procs"))
        .lines()
        .filter(l -> !l.isBlank())
        .forEach(l -> pids.add(Long.parseLong(l.strip())));
    return pids;
  }

  /** VmRSS of /proc/PID/status in bytes; 0 once the process is gone. */
  private static long rssBytes(long pid) {
    return read(Path.of("/proc/" + pid + "/status"))
        .lines()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
        .findFirst()
        .orElse(0L);
  }

  private long usage() {
    return counter("memory.usage_in_bytes").orElse(0L);
  }

  private Optional<Long> counter(String file) {
    String value = read(cgroup.resolve(file)).strip();
    return value.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(value));
  }

  /** The file's text, or "" when it (or its process) is gone. */
  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.interrupt();
    sampler.join(5_000);
  }
}
