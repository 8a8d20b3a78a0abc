package io.kanister.kopia.model.secret;

import java.util.Optional;

/**
 * Finds the bytes a Secret value must not hold, and describes them without showing the value: only
 * which kind was found, never where or next to what.
 */
final class ControlCharacters {
  private ControlCharacters() {}

  /**
   * What is wrong with {@code text}, if anything: a NUL, or another control character (C0, DEL or
   * C1). A multi-line document may still hold line breaks and tabs.
   */
  static Optional<String> find(String text, boolean multiLine) {
    boolean other = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return Optional.of("a NUL byte");
      }
      if (Character.isISOControl(c) && !(multiLine && (c == '\n' || c == '\r' || c == '\t'))) {
        other = true;
      }
    }
    return other
        ? Optional.of(
            multiLine
                ? "a control character other than a line break or tab (such as an escape)"
                : "a control character (such as a line break, tab or escape)")
        : Optional.empty();
  }
}
