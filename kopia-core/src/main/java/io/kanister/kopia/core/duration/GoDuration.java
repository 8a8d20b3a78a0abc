package io.kanister.kopia.core.duration;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-second {@link Duration}s in Go's {@code time.ParseDuration} syntax ({@code 1h30m}, {@code
 * 45s}): how kopia's flags take them and how a Repository spells them.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("([0-9]+)([hms])");
  private static final Pattern WHOLE = Pattern.compile("([0-9]+h)?([0-9]+m)?([0-9]+s)?");

  private GoDuration() {}

  public static String format(Duration duration) {
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

  /**
   * Reads {@code text} when it is a whole-second Go duration ({@code 90s}, {@code 1h30m}), for
   * input nothing has checked yet, such as the operator's flags.
   */
  public static java.util.Optional<Duration> tryParse(String text) {
    if (text == null || text.isEmpty() || !WHOLE.matcher(text).matches()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(parse(text));
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Reads the {@code h}, {@code m} and {@code s} parts of {@code text}; the caller has already
   * checked its syntax (e.g. with the CRD's pattern).
   */
  public static Duration parse(String text) {
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
