package io.kanister.kopia.model.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A policy for one host, user or path target, next to the repository's global policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!self.target.contains(':') || !has(self.policy.maxParallelSnapshots)",
    message =
        "maxParallelSnapshots applies to host and user targets only; Kopia rejects it on a path"
            + " target (user@host:/path)",
    fieldPath = ".policy.maxParallelSnapshots")
public class TargetedPolicySpec {
  public static final int MAX_POLICIES = 64;

  /**
   * {@code @host}, {@code user@host} or {@code user@host:/absolute/path}, lowercase as Kopia names
   * its users; a path ends without '/' unless it is the root.
   */
  public static final String TARGET_PATTERN =
      "^([a-z0-9._][a-z0-9._-]*)?@[a-z0-9._-]+(:/|:/.*[^/])?$";

  @JsonPropertyDescription(
      "Policy target: @host, user@host or user@host:/absolute/path (no trailing '/').")
  @Required
  @Pattern(TARGET_PATTERN)
  @Size(min = 2, max = 512)
  private String target;

  @JsonPropertyDescription("The policy defined for the target; unset fields inherit.")
  @Required
  private RepositoryPolicySpec policy;

  public TargetedPolicySpec() {}

  public TargetedPolicySpec(String target, RepositoryPolicySpec policy) {
    this.target = target;
    this.policy = policy;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public RepositoryPolicySpec getPolicy() {
    return policy;
  }

  public void setPolicy(RepositoryPolicySpec policy) {
    this.policy = policy;
  }
}
