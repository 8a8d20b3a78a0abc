package io.kanister.kopia.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the stdout of {@code kopia policy show --json}: one compact JSON object per target, one
 * per line, in the order the targets were given.
 *
 * <p>Kopia prints the <em>effective</em> policy here (the target's policy merged with its parents
 * and the built-in defaults), so every field is present. That is what a snapshot will use, but it
 * is not a suitable {@code actual} for {@link PolicyDiff}: use {@link PolicyListOutput} for the
 * defined policy.
 */
public final class PolicyShowOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyShowOutput() {}

  public static List<Policy> parse(String stdout) {
    List<Policy> policies = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (!line.isBlank()) {
        policies.add(parseOne(line));
      }
    }
    return List.copyOf(policies);
  }

  /** Parses one {@code policy.Policy} JSON object. */
  public static Policy parseOne(String json) {
    try {
      return PolicyJsonReader.read(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a Kopia policy JSON object: " + e.getOriginalMessage(), e);
    }
  }
}
