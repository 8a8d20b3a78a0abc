package io.kanister.kopia.core.policy;

import java.time.Duration;

/** Writes a whole-second {@link Duration} in Go's {@code time.ParseDuration} syntax. */
final class GoDuration {
  private GoDuration() {}

  static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    long rest = seconds % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (rest > 0) {
      out.append(rest).append('s');
    }
    return out.toString();
  }
}
