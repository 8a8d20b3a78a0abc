package io.kanister.kopia.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The log files a run leaves under some directories: kopia's own (cli-logs, content-logs), the
 * servers' output the kubelet stand-in keeps, and the operators' logs. For the "no secret anywhere"
 * checks.
 */
final class KopiaLogFiles {
  private KopiaLogFiles() {}

  static List<Path> under(Path... roots) throws IOException {
    List<Path> logs = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile).filter(KopiaLogFiles::isLog).forEach(logs::add);
      }
    }
    return logs;
  }

  private static boolean isLog(Path file) {
    String path = file.toString();
    return path.contains("logs")
        || path.endsWith(".log")
        || path.endsWith(".out")
        || path.endsWith(".err");
  }
}
