package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.policy.TargetedPolicySpec;
import java.util.ArrayList;
import java.util.List;

/** What the user asks for; see the seed design's {@code Repository} resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.targetNamespace) == has(oldSelf.targetNamespace)",
    message =
        "spec.targetNamespace is immutable: it cannot be added or removed after creation;"
            + " create a new Repository instead",
    fieldPath = ".targetNamespace")
public class RepositorySpec {
  @JsonPropertyDescription(
      "Namespace whose workloads this repository serves. Immutable. Omitted in global mode.")
  @Pattern(KubernetesNames.DNS_LABEL)
  @Size(min = 1, max = KubernetesNames.DNS_LABEL_MAX_LENGTH)
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "spec.targetNamespace is immutable: it cannot be changed after creation;"
              + " create a new Repository instead")
  private String targetNamespace;

  @JsonPropertyDescription("Where the repository's data lives.")
  @Required
  private LocationSpec location;

  @JsonPropertyDescription("The Kopia repository server for this repository.")
  private ServerSpec server;

  @JsonPropertyDescription("The global snapshot policy of the repository (kopia policy set).")
  private RepositoryPolicySpec policy;

  @JsonPropertyDescription("Policies for user (user@host) or path (user@host:/path) targets.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = TargetedPolicySpec.MAX_POLICIES)
  @ValidationRule(
      value = "self.all(p, self.exists_one(q, q.target == p.target))",
      message = "spec.policies: each target may appear only once; merge the duplicate entries")
  private List<TargetedPolicySpec> policies = new ArrayList<>();

  @JsonPropertyDescription(
      "When the operator runs Kopia maintenance: quick about hourly, full about daily by default.")
  private MaintenanceSpec maintenance;

  public String getTargetNamespace() {
    return targetNamespace;
  }

  public void setTargetNamespace(String targetNamespace) {
    this.targetNamespace = targetNamespace;
  }

  public LocationSpec getLocation() {
    return location;
  }

  public void setLocation(LocationSpec location) {
    this.location = location;
  }

  public ServerSpec getServer() {
    return server;
  }

  public void setServer(ServerSpec server) {
    this.server = server;
  }

  public RepositoryPolicySpec getPolicy() {
    return policy;
  }

  public void setPolicy(RepositoryPolicySpec policy) {
    this.policy = policy;
  }

  public List<TargetedPolicySpec> getPolicies() {
    return policies;
  }

  public void setPolicies(List<TargetedPolicySpec> policies) {
    this.policies = policies == null ? new ArrayList<>() : policies;
  }

  public MaintenanceSpec getMaintenance() {
    return maintenance;
  }

  public void setMaintenance(MaintenanceSpec maintenance) {
    this.maintenance = maintenance;
  }
}
