package io.kanister.kopia.model.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.Validated;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Secrets as parsers see them, and the check that no problem repeats a value. */
final class SecretFixtures {
  static final SecretRef REF = new SecretRef("kanister", "repository-monitoring-location");

  private SecretFixtures() {}

  /** Alternating keys and values. */
  static SecretData data(String... keysAndValues) {
    return dataOfType(null, keysAndValues);
  }

  static SecretData dataOfType(String type, String... keysAndValues) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return SecretData.of(REF, type, values);
  }

  /** The problems of an invalid result, after checking none of them quotes a value. */
  static List<Problem> problemsOf(Validated<?> result, SecretData data) {
    assertThat(result.isValid()).as("%s must be refused", data).isFalse();
    List<Problem> problems = result.problems();
    for (Problem problem : problems) {
      assertThat(problem.where()).startsWith(data.ref().toString());
      for (String key : data.keys()) {
        String value = new String(data.bytes(key).orElseThrow(), StandardCharsets.UTF_8).strip();
        // Short values ("s3", "true") are also words of the messages; longer ones must not appear.
        if (value.length() >= 6) {
          assertThat(problem.text()).as("problem for key %s", key).doesNotContain(value);
        }
      }
    }
    return problems;
  }

  static List<String> texts(List<Problem> problems) {
    return problems.stream().map(Problem::text).toList();
  }
}
