package io.kanister.kopia.model.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@code snapshotTimeCrontab} line before Kopia sees it, for the reconciler and the
 * webhook alike (both map policies through {@link RepositoryPolicyMapper}). The schema only knows
 * it is a non-empty line without ';'; a wrong field count or an out-of-range number would otherwise
 * surface as a failed reconcile long after {@code kubectl apply} said yes.
 *
 * <p>Deliberately lenient where cron dialects differ (names, {@code L}, {@code W}, {@code #},
 * {@code ?}): a false denial is worse than a late error, so only what no dialect accepts is
 * refused.
 */
public final class CronExpression {
  private static final Set<String> MACROS =
      Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+");
  private static final Pattern WORD = Pattern.compile("[0-9A-Za-z#]+");

  private record Field(String name, int min, int max) {}

  private static final Field SECOND = new Field("second", 0, 59);
  private static final Field MINUTE = new Field("minute", 0, 59);
  private static final Field HOUR = new Field("hour", 0, 23);
  private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31);
  private static final Field MONTH = new Field("month", 1, 12);
  private static final Field DAY_OF_WEEK = new Field("day-of-week", 0, 7);
  private static final Field YEAR = new Field("year", 1970, 2099);

  private static final List<Field> FIVE = List.of(MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK);
  private static final List<Field> SIX =
      List.of(MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR);
  private static final List<Field> SEVEN =
      List.of(SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR);

  private CronExpression() {}

  /** Why {@code line} is not a cron expression, or empty when it is (or might be). */
  public static Optional<String> problem(String line) {
    String expression = withoutComment(line).trim();
    if (expression.isEmpty()) {
      return Optional.of("is empty; write e.g. '0 3 * * *' for 03:00 every day");
    }
    if (expression.startsWith("@")) {
      return MACROS.contains(expression.toLowerCase(Locale.ROOT))
          ? Optional.empty()
          : Optional.of(
              "'"
                  + expression
                  + "' is not a known shorthand; use @hourly, @daily, @weekly, @monthly or"
                  + " @yearly, or five fields such as '0 3 * * *'");
    }
    String[] parts = expression.split("\\s+");
    List<Field> fields =
        switch (parts.length) {
          case 5 -> FIVE;
          case 6 -> SIX;
          case 7 -> SEVEN;
          default -> null;
        };
    if (fields == null) {
      return Optional.of(
          "'"
              + expression
              + "' has "
              + parts.length
              + " fields; write five: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'");
    }
    for (int i = 0; i < parts.length; i++) {
      Optional<String> problem = fieldProblem(fields.get(i), parts[i]);
      if (problem.isPresent()) {
        return Optional.of("'" + expression + "': " + problem.get());
      }
    }
    return Optional.empty();
  }

  // '#' starts a comment only at the start or after blanks: in '5#3' it means "third Friday".
  private static String withoutComment(String line) {
    String text = line == null ? "" : line;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
        return text.substring(0, i);
      }
    }
    return text;
  }

  private static Optional<String> fieldProblem(Field field, String text) {
    for (String item : text.split(",", -1)) {
      Optional<String> problem = itemProblem(field, item);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> itemProblem(Field field, String item) {
    String range = item;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      String step = item.substring(slash + 1);
      if (!NUMBER.matcher(step).matches() || Integer.parseInt(step) == 0) {
        return Optional.of(
            field.name() + " step '" + step + "' must be a whole number of at least 1");
      }
      range = item.substring(0, slash);
    }
    if (range.equals("*") || range.equals("?")) {
      return Optional.empty();
    }
    String[] ends = range.split("-", -1);
    if (ends.length > 2) {
      return Optional.of(field.name() + " '" + item + "' is not a value, range or list");
    }
    for (String end : ends) {
      if (!WORD.matcher(end).matches()) {
        return Optional.of(field.name() + " '" + item + "' is not a value, range or list");
      }
      if (NUMBER.matcher(end).matches() && !inRange(field, end)) {
        return Optional.of(
            field.name() + " " + end + " is out of range " + field.min() + "-" + field.max());
      }
    }
    return Optional.empty();
  }

  private static boolean inRange(Field field, String number) {
    if (number.length() > 4) {
      return false;
    }
    int value = Integer.parseInt(number);
    return value >= field.min() && value <= field.max();
  }
}
