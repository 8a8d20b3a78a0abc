package io.kanister.kopia.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every policy {@code kopia policy list --json} reports, read one by one: a policy another client
 * wrote that this model rejects (for example {@code maxParallelFileReads: 0}, which Kopia accepts)
 * is kept as {@link Unreadable} instead of failing the whole list.
 *
 * @param readable the policies this model can express
 * @param unreadable the policies it cannot, with the reason; their targets are still known
 */
public record PolicyListing(List<DefinedPolicy> readable, List<Unreadable> unreadable) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A policy manifest whose content (or target) the model rejects; never rewritten on a guess.
   *
   * @param target Kopia's display form of the target, e.g. {@code user@host:/path}
   */
  public record Unreadable(String id, String target, String reason) {}

  public PolicyListing {
    readable = List.copyOf(readable);
    unreadable = List.copyOf(unreadable);
  }

  public static PolicyListing parse(String stdout) {
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
    List<DefinedPolicy> readable = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    for (JsonNode element : array) {
      JsonNode target = element.path("target");
      String userName = target.path("userName").asText("");
      String host = target.path("host").asText("");
      String path = target.path("path").asText("");
      String id = element.path("id").asText();
      try {
        PolicyTarget policyTarget = PolicyTarget.of(userName, host, path);
        readable.add(
            DefinedPolicy.builder()
                .id(id)
                .target(policyTarget)
                .policy(PolicyJsonReader.read(element))
                .build());
      } catch (IllegalArgumentException e) {
        // InvalidPolicyException, or an enum value (compressor, splitter) this model lacks.
        unreadable.add(
            new Unreadable(id, displayForm(userName, host, path), String.valueOf(e.getMessage())));
      }
    }
    return new PolicyListing(readable, unreadable);
  }

  /** Whether {@code target} has a policy manifest at all, readable or not. */
  public boolean defines(PolicyTarget target) {
    return readable.stream().anyMatch(p -> p.target().equals(target))
        || unreadable(target).isPresent();
  }

  /** Why the policy of {@code target} cannot be read, if it cannot. */
  public Optional<Unreadable> unreadable(PolicyTarget target) {
    return unreadable.stream().filter(p -> p.target().equals(target.text())).findFirst();
  }

  /** The readable defined policy of {@code target}, or {@link Policy#empty()} when it has none. */
  public Policy definedFor(PolicyTarget target) {
    return PolicyListOutput.definedFor(readable, target);
  }

  /** As {@link PolicyTarget#text()}, without validating the parts. */
  private static String displayForm(String userName, String host, String path) {
    if (host.isEmpty() && userName.isEmpty() && path.isEmpty()) {
      return PolicyTarget.GLOBAL_NAME;
    }
    String who = userName.isEmpty() ? "@" + host : userName + "@" + host;
    return path.isEmpty() ? who : who + ":" + path;
  }
}
