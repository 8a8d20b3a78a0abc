package io.kanister.kopia.core.user;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Kopia repository user, {@code user@host}, in the only form Kopia accepts (lowercase letters,
 * digits, {@code - _ .}).
 */
public record KopiaUsername(String value) {
  private static final Pattern FORMAT = Pattern.compile("^[a-z0-9\\-_.]+@[a-z0-9\\-_.]+$");

  public KopiaUsername {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Kopia username must be lowercase 'user@hostname' using only a-z, 0-9, '-', '_', '.'"
              + " (got '"
              + value
              + "')");
    }
  }

  /** Strict: the text must already be in Kopia's form. */
  public static KopiaUsername of(String value) {
    return new KopiaUsername(value);
  }

  public static KopiaUsername of(String user, String host) {
    return new KopiaUsername(user + "@" + host);
  }

  /** Lenient: lowercases first (Kopia itself lowercases the default hostname). */
  public static KopiaUsername lowercased(String value) {
    return new KopiaUsername(value == null ? null : value.toLowerCase(Locale.ROOT));
  }

  public String user() {
    return value.substring(0, value.indexOf('@'));
  }

  public String host() {
    return value.substring(value.indexOf('@') + 1);
  }

  @Override
  public String toString() {
    return value;
  }
}
