package io.kanister.kopia.testsupport.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** The container shims containerd recorded in its state folder (outside the pod cgroups). */
  static List<Long> shimPids(Path containerdState) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> files =
        Files.walk(containerdState.resolve("io.containerd.runtime.v2.task"), 3)) {
      for (Path file : files.filter(f -> f.endsWith("shim.pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file).trim()));
      }
    } catch (IOException | NumberFormatException | UncheckedIOException e) {
      // no containers, or one being removed
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
