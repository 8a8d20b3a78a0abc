package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.ProblemCollector;
import io.kanister.kopia.model.validation.Validated;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Reads keys of one Secret and collects what is wrong with them. Every message names the Secret and
 * the key and never contains a value, not even a non-secret one: a misplaced password would
 * otherwise be echoed wherever the message goes.
 */
final class SecretReader {
  /** The longest one-line value (a name, a password, a token) accepted, in bytes. */
  static final int MAX_ONE_LINE_BYTES = 65536;

  private final SecretData data;
  private final Set<String> multiLineKeys;
  private final ProblemCollector problems = new ProblemCollector();
  private final Set<String> unreadable = new HashSet<>();

  SecretReader(SecretData data) {
    this(data, Set.of());
  }

  /**
   * @param multiLineKeys keys holding documents (PEM, JSON, YAML) that may contain line breaks and
   *     tabs; every other key is one line, and any control character in it is refused
   */
  SecretReader(SecretData data, Set<String> multiLineKeys) {
    this.data = data;
    this.multiLineKeys = Set.copyOf(multiLineKeys);
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

  /**
   * A multi-line document kept exactly as written (e.g. YAML, whose indentation matters), if not
   * blank.
   */
  Optional<String> optionalText(String key) {
    return text(key, true, value -> value).filter(value -> nonEmpty(key, value.strip()));
  }

  Optional<String> optional(String key) {
    return text(key, String::strip).map(String::strip).filter(value -> nonEmpty(key, value));
  }

  /**
   * A credential: only trailing line breaks are dropped (the usual {@code echo | base64} slip);
   * other whitespace may be part of it.
   */
  Optional<SecretValue> requiredSecret(String key, String what) {
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
    text(key, String::strip)
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

  Optional<SecretValue> optionalSecret(String key) {
    return text(key, SecretReader::withoutTrailingLineBreaks)
        .map(SecretReader::withoutTrailingLineBreaks)
        .filter(value -> nonEmpty(key, value.strip()))
        .map(SecretValue::of);
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

  /**
   * @param kept the part of the value that is used, e.g. without surrounding whitespace; only that
   *     part is checked for control characters
   */
  private Optional<String> text(String key, UnaryOperator<String> kept) {
    return text(key, multiLineKeys.contains(key), kept);
  }

  /**
   * The value as UTF-8 text, checked byte by byte before it can reach a process environment or a
   * file: a NUL cannot travel in an environment (the JDK would refuse it, quoting the value), and
   * other control characters are never meant and only hide what a value really is. Each key is
   * reported once, however often it is read.
   */
  private Optional<String> text(String key, boolean multiLine, UnaryOperator<String> kept) {
    Optional<byte[]> bytes = data.bytes(key);
    if (bytes.isEmpty() || unreadable.contains(key)) {
      return Optional.empty();
    }
    if (!multiLine && bytes.get().length > MAX_ONE_LINE_BYTES) {
      // One-line values travel in a process environment, where Linux takes at most 128 KiB per
      // variable: beyond that kopia would not even start, and the failure would name no key.
      unreadable.add(key);
      problem(
          key,
          "is "
              + bytes.get().length
              + " bytes long; at most "
              + MAX_ONE_LINE_BYTES
              + " bytes are allowed");
      return Optional.empty();
    }
    String value;
    try {
      value =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.get()))
              .toString();
    } catch (CharacterCodingException e) {
      unreadable.add(key);
      problem(key, "is not UTF-8 text; store the value as UTF-8");
      return Optional.empty();
    }
    Optional<String> control = ControlCharacters.find(kept.apply(value), multiLine);
    if (control.isPresent()) {
      unreadable.add(key);
      problem(
          key,
          "contains "
              + control.get()
              + (multiLine ? ", which a PEM, JSON or YAML document never holds" : " in its value")
              + "; store the value without it (the value is not shown here)");
      return Optional.empty();
    }
    return Optional.of(value);
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
