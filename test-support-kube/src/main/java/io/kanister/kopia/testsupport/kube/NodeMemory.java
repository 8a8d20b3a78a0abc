package io.kanister.kopia.testsupport.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Peak memory figures of the real node, read from /proc and the node's own memory cgroup. */
final class NodeMemory {
  private NodeMemory() {}

  /** The peak resident set (VmHWM) of a live process, 0 when it is gone. */
  static long peakRssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // exited
    }
    return 0;
  }

  /**
   * The container shims: the parents of the container inits containerd recorded ({@code init.pid})
   * in its state folder. containerd 1.6 writes no PID file for a shim.
   */
  static List<Long> shimPids(Path containerdState) {
    Set<Long> shims = new TreeSet<>();
    for (long init : initPids(containerdState)) {
      ProcessHandle.of(init)
          .flatMap(ProcessHandle::parent)
          .filter(p -> p.info().command().orElse("").contains("containerd-shim"))
          .ifPresent(p -> shims.add(p.pid()));
    }
    return List.copyOf(shims);
  }

  /** The container init PIDs containerd recorded. */
  static List<Long> initPids(Path containerdState) {
    List<Long> pids = new ArrayList<>();
    Path tasks = containerdState.resolve("io.containerd.runtime.v2.task");
    if (!Files.isDirectory(tasks)) {
      return pids;
    }
    try (Stream<Path> files = Files.walk(tasks, 3)) {
      for (Path file : files.filter(f -> f.endsWith("init.pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file).trim()));
      }
    } catch (IOException | NumberFormatException | UncheckedIOException e) {
      // a container being removed
    }
    return pids;
  }

  /** The peak usage of every pod together: the cgroup v1 memory high-water mark of the root. */
  static long podsPeakBytes(String cgroupRoot) {
    try {
      return Long.parseLong(
          Files.readString(
                  Path.of("/sys/fs/cgroup/memory" + cgroupRoot, "memory.max_usage_in_bytes"))
              .trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
