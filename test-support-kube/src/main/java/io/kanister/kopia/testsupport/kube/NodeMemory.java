package io.kanister.kopia.testsupport.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
