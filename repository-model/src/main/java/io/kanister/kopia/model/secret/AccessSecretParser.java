package io.kanister.kopia.model.secret;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.Validated;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a Secret named in {@code spec.server.accessSecretNames}: each key is a workload identifier,
 * each value is YAML with {@code username} and {@code password}, as in the seed.
 */
public final class AccessSecretParser {
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";

  /** What Kopia allows in the user and host parts of {@code user@host}. */
  private static final Pattern KOPIA_NAME = Pattern.compile("[a-z0-9._-]+");

  private static final YAMLFactory YAML =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private AccessSecretParser() {}

  /** All users of the Secret, or every problem of every entry. */
  public static Validated<List<AccessUser>> parse(SecretData data) {
    Map<String, Validated<AccessUser>> entries = parseEach(data);
    if (entries.isEmpty()) {
      SecretReader reader = new SecretReader(data);
      reader.problemWithSecret(
          "has no keys; add one key per workload whose value is YAML with username and password");
      return reader.invalid();
    }
    List<Problem> problems =
        entries.values().stream().flatMap(entry -> entry.problems().stream()).toList();
    if (!problems.isEmpty()) {
      return Validated.invalid(problems);
    }
    return Validated.valid(entries.values().stream().map(Validated::value).toList());
  }

  /**
   * Each entry on its own, keyed by workload identifier in key order, so that one broken entry does
   * not hold back the users of the others.
   */
  public static Map<String, Validated<AccessUser>> parseEach(SecretData data) {
    Set<String> workloads = new TreeSet<>(data.keys());
    workloads.addAll(data.undecodableKeys());
    Map<String, Validated<AccessUser>> entries = new LinkedHashMap<>();
    for (String workload : workloads) {
      SecretReader reader = new SecretReader(data.only(workload));
      Optional<AccessUser> user = Optional.empty();
      if (!KOPIA_NAME.matcher(workload).matches()) {
        reader.problem(
            workload,
            "is not usable as a workload identifier: Kopia host names take only lowercase"
                + " letters, digits, '.', '_' and '-'; rename the key",
            Problem.Code.INVALID_WORKLOAD_IDENTIFIER);
      } else if (data.keys().contains(workload)) {
        user = reader.optionalText(workload).flatMap(yaml -> user(reader, workload, yaml));
      }
      entries.put(
          workload,
          reader.problems().isEmpty() ? Validated.valid(user.orElseThrow()) : reader.invalid());
    }
    return Collections.unmodifiableMap(entries);
  }

  private static Optional<AccessUser> user(SecretReader reader, String workload, String yaml) {
    Map<String, String> fields;
    try {
      fields = scalarFields(yaml);
    } catch (NotAMapping e) {
      reader.problem(
          workload, "must be YAML with the keys username and password; " + e.getMessage());
      return Optional.empty();
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the input; only its position is safe to show.
      reader.problem(
          workload, "is not valid YAML (" + position(e.getLocation()) + "); " + "check the syntax");
      return Optional.empty();
    } catch (IOException e) {
      reader.problem(workload, "could not be read as YAML");
      return Optional.empty();
    }
    for (String key : fields.keySet()) {
      if (!key.equals(USERNAME) && !key.equals(PASSWORD)) {
        reader.problem(
            workload,
            "has the unknown field '" + key + "'; only username and password are allowed");
      }
    }
    String username = fields.getOrDefault(USERNAME, "").strip();
    String password = fields.getOrDefault(PASSWORD, "");
    boolean valid = true;
    if (username.isEmpty()) {
      reader.problem(
          workload, "has no username; add 'username: <name>'", Problem.Code.INVALID_USERNAME);
      valid = false;
    } else if (!KOPIA_NAME.matcher(username).matches()) {
      reader.problem(
          workload,
          "has a username Kopia cannot use: only lowercase letters, digits, '.', '_' and '-'",
          Problem.Code.INVALID_USERNAME);
      valid = false;
    }
    if (password.isBlank()) {
      reader.problem(workload, "has no password; add 'password: <password>'");
      valid = false;
    } else if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > SecretReader.MAX_ONE_LINE_BYTES) {
      // The password reaches kopia through its environment (see SecretReader).
      reader.problem(
          workload,
          "has a password longer than "
              + SecretReader.MAX_ONE_LINE_BYTES
              + " bytes; choose a shorter one");
      valid = false;
    } else {
      // YAML escapes ("\0", "\t") reach the parsed password even when the raw text is clean.
      Optional<String> control = ControlCharacters.find(password, false);
      if (control.isPresent()) {
        reader.problem(
            workload,
            "has a password that contains "
                + control.get()
                + "; choose one without (the value is not shown here)");
        valid = false;
      }
    }
    return valid
        ? Optional.of(new AccessUser(reader.ref(), workload, username, SecretValue.of(password)))
        : Optional.empty();
  }

  /** The top-level mapping's scalar values, as written (no YAML 1.1 number or boolean coercion). */
  private static Map<String, String> scalarFields(String yaml) throws IOException {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = YAML.createParser(yaml)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new NotAMapping("found no 'key: value' lines");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          throw new NotAMapping(
              "the field '" + name + "' must be a plain value, not a list or map");
        }
        fields.put(name, value == JsonToken.VALUE_NULL ? "" : parser.getText());
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new NotAMapping("found more than one YAML document");
      }
    }
    return fields;
  }

  private static String position(JsonLocation location) {
    return location == null
        ? "position unknown"
        : "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static final class NotAMapping extends IOException {
    private static final long serialVersionUID = 1L;

    NotAMapping(String message) {
      super(message);
    }
  }
}
