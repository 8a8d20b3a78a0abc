package io.kanister.kopia.core.error;

import java.util.Collection;
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
    String safe = line.strip().replaceAll("\\p{Cntrl}", " ");
    if (safe.isEmpty() || mayCarrySecrets(safe)) {
      return Optional.empty();
    }
    for (String secret : secretValues) {
      if (secret != null && !secret.isEmpty()) {
        safe = safe.replace(secret, REDACTED);
      }
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
