package io.kanister.controller.logging;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A copy of an exception chain fit for a log: same types (named in the message), same stack traces,
 * but messages scrubbed. Reconcilers throw whatever their libraries throw, and those messages quote
 * input: the JDK quotes a rejected environment value ({@code Invalid environment variable value:
 * "..."}), Jackson the token it could not parse. Quoted spans are where values go, so they are
 * masked; control characters are replaced so one message stays one log line.
 */
public final class ScrubbedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final String MASK = "<redacted>";
  private static final int MAX_MESSAGE = 300;
  private static final int MAX_DEPTH = 8;
  private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"[^\"]*\"?");
  private static final Pattern SINGLE_QUOTED = Pattern.compile("(?<![A-Za-z0-9])'[^']*'?");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private ScrubbedException(String message, ScrubbedException cause) {
    super(message, cause, false, true);
  }

  /** The scrubbed copy of {@code error} and its causes. */
  public static ScrubbedException of(Throwable error) {
    return copy(error, new IdentityHashMap<>(), 0);
  }

  /** {@code type: message} of {@code error} alone, scrubbed unless it is a {@link SafeMessage}. */
  public static String describe(Throwable error) {
    String message = error.getMessage();
    String type = error.getClass().getName();
    if (message == null || message.isEmpty()) {
      return type;
    }
    return type + ": " + (error instanceof SafeMessage ? oneLine(message) : scrub(message));
  }

  /** Masks quoted spans and control characters, and bounds the length. */
  public static String scrub(String message) {
    String masked = DOUBLE_QUOTED.matcher(message).replaceAll("\"" + MASK + "\"");
    masked = SINGLE_QUOTED.matcher(masked).replaceAll("'" + MASK + "'");
    return oneLine(masked);
  }

  private static String oneLine(String message) {
    String line = CONTROL.matcher(message).replaceAll(" ").strip();
    return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE - 1) + "…" : line;
  }

  private static ScrubbedException copy(Throwable error, Map<Throwable, Boolean> seen, int depth) {
    seen.put(error, true);
    Throwable cause = error.getCause();
    ScrubbedException scrubbedCause =
        cause == null || seen.containsKey(cause) || depth >= MAX_DEPTH
            ? null
            : copy(cause, seen, depth + 1);
    ScrubbedException copy = new ScrubbedException(describe(error), scrubbedCause);
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }
}
