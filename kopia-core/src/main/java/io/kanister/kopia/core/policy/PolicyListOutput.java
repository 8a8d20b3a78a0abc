package io.kanister.kopia.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses the stdout of {@code kopia policy list --json}: a JSON array whose elements are the
 * <em>defined</em> policies, each with its {@code id} and {@code target{host,userName,path}}.
 */
public final class PolicyListOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyListOutput() {}

  public static List<DefinedPolicy> parse(String stdout) {
    JsonNode array;
    try {
      array = JSON.readTree(stdout);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "policy list output is not JSON: " + e.getOriginalMessage(), e);
    }
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("policy list output must be a JSON array");
    }
    List<DefinedPolicy> policies = new ArrayList<>();
    for (JsonNode element : array) {
      JsonNode target = element.path("target");
      policies.add(
          DefinedPolicy.builder()
              .id(element.path("id").asText())
              .target(
                  PolicyTarget.of(
                      target.path("userName").asText(""),
                      target.path("host").asText(""),
                      target.path("path").asText("")))
              .policy(PolicyJsonReader.read(element))
              .build());
    }
    return List.copyOf(policies);
  }

  /**
   * The defined policy of {@code target}, or {@link Policy#empty()} when it has none: the {@code
   * actual} argument of {@link PolicyDiff}.
   */
  public static Policy definedFor(List<DefinedPolicy> policies, PolicyTarget target) {
    Optional<DefinedPolicy> match =
        policies.stream().filter(p -> p.target().equals(target)).findFirst();
    return match.map(DefinedPolicy::policy).orElseGet(Policy::empty);
  }
}
