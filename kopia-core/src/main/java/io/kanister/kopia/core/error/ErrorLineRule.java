package io.kanister.kopia.core.error;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A stderr line pattern that identifies an error kind. An empty kind marks lines that are
 * recognised on purpose but must not be mistaken for a more specific kind.
 */
record ErrorLineRule(Optional<KopiaErrorKind> kind, Pattern pattern) {

  static ErrorLineRule of(KopiaErrorKind kind, String regex) {
    return new ErrorLineRule(Optional.of(kind), Pattern.compile(regex));
  }

  static ErrorLineRule unclassified(String regex) {
    return new ErrorLineRule(Optional.empty(), Pattern.compile(regex));
  }

  boolean matches(String line) {
    return pattern.matcher(line).find();
  }

  KopiaErrorKind kindOrUnknown() {
    return kind.orElse(KopiaErrorKind.UNKNOWN);
  }
}
