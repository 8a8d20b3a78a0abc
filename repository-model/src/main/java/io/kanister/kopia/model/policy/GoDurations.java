package io.kanister.kopia.model.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the whole-second subset of Go durations a Repository allows ({@code 1h30m}, {@code 45s}).
 */
final class GoDurations {
  private static final Pattern PART = Pattern.compile("([0-9]+)([hms])");

  private GoDurations() {}

  /** {@code text} must already match {@link RepositoryPolicySpec#DURATION}. */
  static Duration parse(String text) {
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long amount = Long.parseLong(m.group(1));
      total =
          switch (m.group(2)) {
            case "h" -> total.plusHours(amount);
            case "m" -> total.plusMinutes(amount);
            default -> total.plusSeconds(amount);
          };
    }
    return total;
  }
}
