package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.Secret;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.ProblemCollector;
import io.kanister.kopia.model.validation.Validated;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads keys of one Secret and collects what is wrong with them. Every message names the Secret and
 * the key and never contains a value, not even a non-secret one: a misplaced password would
 * otherwise be echoed wherever the message goes.
 */
final class SecretReader {
  private final SecretData data;
  private final ProblemCollector problems = new ProblemCollector();

  SecretReader(SecretData data) {
    this.data = data;
    problems.addAll(data.decodingProblems());
  }

  SecretRef ref() {
    return data.ref();
  }

  ProblemCollector problems() {
    return problems;
  }

  /** The problems found so far, as an invalid result; only when there is at least one. */
  <T> Validated<T> invalid() {
    return Validated.invalid(problems.problems());
  }

  void problem(String key, String message) {
    problems.add(data.ref().key(key), message);
  }

  void problem(String key, String message, Problem.Code code) {
    problems.add(data.ref().key(key), message, code);
  }

  void problemWithSecret(String message) {
    problems.add(data.ref().toString(), message);
  }

  boolean has(String key) {
    return data.bytes(key).isPresent();
  }

  /** A plain setting: surrounding whitespace (a stray newline from {@code echo}) is dropped. */
  Optional<String> required(String key, String what) {
    if (!has(key)) {
      problem(key, "is missing; add " + what);
      return Optional.empty();
    }
    return optional(key);
  }

  /** Text kept exactly as written (e.g. YAML, whose indentation matters), if not blank. */
  Optional<String> optionalText(String key) {
    return text(key).filter(value -> nonEmpty(key, value.strip()));
  }

  Optional<String> optional(String key) {
    return text(key).map(String::strip).filter(value -> nonEmpty(key, value));
  }

  /**
   * A credential: only trailing line breaks are dropped (the usual {@code echo | base64} slip);
   * other whitespace may be part of it.
   */
  Optional<Secret> requiredSecret(String key, String what) {
    if (!has(key)) {
      problem(key, "is missing; add " + what);
      return Optional.empty();
    }
    return optionalSecret(key);
  }

  /**
   * Refuses a value that starts or ends with whitespace. For credentials the Kopia server reads
   * verbatim from its environment (server user names and passwords), where the operator's own
   * trimmed copy would no longer match the server's.
   */
  void rejectSurroundingWhitespace(String key) {
    text(key)
        // A blank value is reported as empty elsewhere.
        .filter(value -> !value.isBlank() && !value.equals(value.strip()))
        .ifPresent(
            value ->
                problem(
                    key,
                    "starts or ends with whitespace (often a line break from `echo ... | base64`),"
                        + " which the Kopia server would keep as part of the value; store it"
                        + " without, e.g. kubectl create secret generic NAME --from-literal="
                        + key
                        + "=..."));
  }

  Optional<Secret> optionalSecret(String key) {
    return text(key)
        .map(SecretReader::withoutTrailingLineBreaks)
        .filter(value -> nonEmpty(key, value.strip()))
        .map(Secret::of);
  }

  Optional<Boolean> optionalBoolean(String key) {
    return optional(key)
        .flatMap(
            value -> {
              switch (value.toLowerCase(Locale.ROOT)) {
                case "true":
                  return Optional.of(true);
                case "false":
                  return Optional.of(false);
                default:
                  problem(key, "must be true or false");
                  return Optional.empty();
              }
            });
  }

  /** Reports every key outside {@code known}, suggesting the closest known one. */
  void rejectUnknownKeys(Collection<String> known, String context) {
    Set<String> sorted = new TreeSet<>(known);
    for (String key : data.keys()) {
      if (!sorted.contains(key)) {
        String hint =
            closest(key, sorted).map(k -> "; did you mean '" + k + "'?").orElse("")
                + " (keys used "
                + context
                + ": "
                + String.join(", ", sorted)
                + ")";
        problem(key, "is not a known key; remove or rename it" + hint);
      }
    }
  }

  private Optional<String> text(String key) {
    Optional<byte[]> bytes = data.bytes(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.get()))
              .toString());
    } catch (CharacterCodingException e) {
      problem(key, "is not UTF-8 text");
      return Optional.empty();
    }
  }

  private boolean nonEmpty(String key, String stripped) {
    if (stripped.isEmpty()) {
      problem(key, "is empty; give it a value or remove the key");
      return false;
    }
    return true;
  }

  private static String withoutTrailingLineBreaks(String value) {
    int end = value.length();
    while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
      end--;
    }
    return value.substring(0, end);
  }

  private static Optional<String> closest(String key, Set<String> known) {
    return known.stream()
        .filter(k -> distance(k, key) <= 2)
        .min(Comparator.comparingInt(k -> distance(k, key)));
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
