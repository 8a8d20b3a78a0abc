package io.kanister.kopia.core.error;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one stderr line into text fit for a status condition or log: lines that may carry
 * credentials are dropped and values kopia echoes back are masked.
 */
final class SecretSafeLine {

  static final String REDACTED = "<redacted>";
  private static final int MAX_LENGTH = 300;

  // Env dumps, lines printed by "server start" and header dumps carry secrets in full.
  private static final Pattern ENV_ASSIGNMENT = Pattern.compile("^\\s*[A-Z][A-Z0-9_]*=");
  private static final Pattern SECRET_BEARING_LINE =
      Pattern.compile(
          "(?i)PASSWORD:|SERVER CERTIFICATE:|-----BEGIN|authorization|bearer "
              + "|X-Amz-(Credential|Signature|Security-Token)|secret[_-]?(access[_-]?)?key\\s*[=:]");
  private static final Pattern URL_USER_INFO =
      Pattern.compile("(\\b[a-z][a-z0-9+.-]*://)[^/@\\s]+@");
  // kingpin echoes command-line values: unexpected <arg>, parsing "<value>", got "<word>".
  private static final Pattern KINGPIN_UNEXPECTED =
      Pattern.compile("\\bunexpected .*(, try --help)$");
  private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"[^\"]*\"");

  private SecretSafeLine() {}

  static boolean mayCarrySecrets(String line) {
    return ENV_ASSIGNMENT.matcher(line).find() || SECRET_BEARING_LINE.matcher(line).find();
  }

  static Optional<String> of(String line, KopiaErrorKind kind, Collection<String> secretValues) {
    // Mask before normalising control characters (a secret may contain one), longest first (a
    // shorter secret may be part of a longer one), and the normalised form too.
    List<String> secrets =
        secretValues.stream()
            .filter(secret -> secret != null && !secret.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    String masked = line;
    for (String secret : secrets) {
      masked = masked.replace(secret, REDACTED);
    }
    String safe = masked.strip().replaceAll("\\p{Cntrl}", " ");
    for (String secret : secrets) {
      safe = safe.replace(secret.replaceAll("\\p{Cntrl}", " "), REDACTED);
    }
    if (safe.isEmpty() || mayCarrySecrets(safe)) {
      return Optional.empty();
    }
    safe = URL_USER_INFO.matcher(safe).replaceAll("$1" + REDACTED + "@");
    if (kind == KopiaErrorKind.BAD_ARGUMENTS) {
      safe = KINGPIN_UNEXPECTED.matcher(safe).replaceAll("unexpected " + REDACTED + "$1");
      safe = DOUBLE_QUOTED.matcher(safe).replaceAll("\"" + REDACTED + "\"");
    }
    if (safe.length() > MAX_LENGTH) {
      safe = safe.substring(0, MAX_LENGTH - 1) + "…";
    }
    return Optional.of(safe);
  }
}
