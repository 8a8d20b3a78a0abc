package io.kanister.kopia.core.policy;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/** A wall-clock time at which a snapshot is taken, written {@code HH:MM}. */
@Value.Immutable
public abstract class TimeOfDay implements Comparable<TimeOfDay> {
  // Kopia itself accepts a one-digit hour ("2:30"), so we do too.
  private static final Pattern HH_MM = Pattern.compile("(\\d{1,2}):(\\d{2})");
  private static final Comparator<TimeOfDay> ORDER =
      Comparator.comparingInt(TimeOfDay::hour).thenComparingInt(TimeOfDay::minute);

  @Value.Parameter
  public abstract int hour();

  @Value.Parameter
  public abstract int minute();

  public static TimeOfDay of(int hour, int minute) {
    return ImmutableTimeOfDay.of(hour, minute);
  }

  /** Parses {@code HH:MM} (24-hour clock). */
  public static TimeOfDay parse(String text) {
    Matcher m = HH_MM.matcher(text);
    if (!m.matches()) {
      throw new InvalidPolicyException("time of day must be HH:MM, got '" + text + "'");
    }
    return of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** The {@code HH:MM} form used by {@code --snapshot-time}. */
  public String text() {
    return String.format("%02d:%02d", hour(), minute());
  }

  @Override
  public int compareTo(TimeOfDay other) {
    return ORDER.compare(this, other);
  }

  @Value.Check
  protected void check() {
    if (hour() < 0 || hour() > 23) {
      throw new InvalidPolicyException("time of day hour must be 0-23, got " + hour());
    }
    if (minute() < 0 || minute() > 59) {
      throw new InvalidPolicyException("time of day minute must be 0-59, got " + minute());
    }
  }
}
