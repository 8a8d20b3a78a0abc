package io.kanister.kopia.core.error;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A failed kopia invocation: what kind of failure it was and kopia's own one-line explanation.
 *
 * <p>The summary is safe to put in a status condition: it is one of kopia's error lines (the last
 * one of the deciding kind), with lines that could echo credentials dropped, echoed command line
 * values masked, and never any environment value.
 *
 * @param exitCode empty for {@link KopiaErrorKind#TIMEOUT}, where kopia was killed, and for {@link
 *     KopiaErrorKind#START_FAILED}, where it never ran
 */
public record KopiaFailure(KopiaErrorKind kind, OptionalInt exitCode, String summary) {

  /** Classifies a non-zero exit of kopia from its stderr. */
  public static KopiaFailure classify(int exitCode, String stderr) {
    return classify(exitCode, stderr, Set.of());
  }

  /**
   * Like {@link #classify(int, String)}, also masking the given values (e.g. the repository
   * password the runner passed in the environment) should kopia ever echo them.
   */
  public static KopiaFailure classify(
      int exitCode, String stderr, Collection<String> secretValues) {
    List<String> lines = stderr == null ? List.of() : stderr.lines().toList();
    for (ErrorLineRule rule : ErrorLineRules.IN_PRIORITY_ORDER) {
      Optional<String> deciding = lastMatching(lines, rule);
      if (deciding.isPresent()) {
        KopiaErrorKind kind = rule.kindOrUnknown();
        String summary =
            SecretSafeLine.of(deciding.get(), kind, secretValues)
                .orElseGet(() -> lastSafeLine(lines, kind, secretValues, exitCode));
        return new KopiaFailure(kind, OptionalInt.of(exitCode), summary);
      }
    }
    return new KopiaFailure(
        KopiaErrorKind.UNKNOWN,
        OptionalInt.of(exitCode),
        lastSafeLine(lines, KopiaErrorKind.UNKNOWN, secretValues, exitCode));
  }

  /** The runner gave up waiting and killed kopia. */
  public static KopiaFailure timeout(Duration limit) {
    return new KopiaFailure(
        KopiaErrorKind.TIMEOUT, OptionalInt.empty(), "kopia did not finish within " + limit);
  }

  /**
   * kopia never ran. {@code why} must name things (the binary, an environment variable), never a
   * value: the JDK's own start-failure messages quote environment values, secrets included.
   */
  public static KopiaFailure startFailed(String why) {
    return new KopiaFailure(KopiaErrorKind.START_FAILED, OptionalInt.empty(), why);
  }

  private static Optional<String> lastMatching(List<String> lines, ErrorLineRule rule) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (rule.matches(line)) {
        return Optional.of(line);
      }
    }
    return Optional.empty();
  }

  private static String lastSafeLine(
      List<String> lines, KopiaErrorKind kind, Collection<String> secretValues, int exitCode) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      Optional<String> safe = SecretSafeLine.of(lines.get(i), kind, secretValues);
      if (safe.isPresent()) {
        return safe.get();
      }
    }
    return "kopia exited with code " + exitCode + " and no printable error";
  }
}
