package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which Kopia repository this Repository is pinned to, and which policies the operator owns in it.
 * Once {@code uniqueId} is recorded the operator never creates a repository again: empty storage,
 * or storage holding another repository, stops every write until the storage is restored or the new
 * repository is accepted through {@code repo.kanister.io/accept-new-repository}. Holds no
 * credential.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepositoryIdentityStatus {
  @JsonPropertyDescription(
      "The repository's unique ID (kopia repository status: uniqueIDHex), lowercase hex.")
  @Pattern("^[0-9a-f]{1,128}$")
  private String uniqueId;

  @JsonPropertyDescription("When uniqueId was recorded (RFC 3339).")
  private String recordedAt;

  @JsonPropertyDescription("Where the repository was found, without credentials.")
  private String storage;

  @JsonPropertyDescription(
      "Policy targets the operator set from spec.policies; removing an entry from spec.policies"
          + " deletes only these. Policies of other clients are never deleted.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<String> managedPolicies = new ArrayList<>();

  public String getUniqueId() {
    return uniqueId;
  }

  public void setUniqueId(String uniqueId) {
    this.uniqueId = uniqueId;
  }

  public String getRecordedAt() {
    return recordedAt;
  }

  public void setRecordedAt(String recordedAt) {
    this.recordedAt = recordedAt;
  }

  public String getStorage() {
    return storage;
  }

  public void setStorage(String storage) {
    this.storage = storage;
  }

  public List<String> getManagedPolicies() {
    return managedPolicies;
  }

  public void setManagedPolicies(List<String> managedPolicies) {
    this.managedPolicies = managedPolicies == null ? new ArrayList<>() : managedPolicies;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RepositoryIdentityStatus that
        && Objects.equals(uniqueId, that.uniqueId)
        && Objects.equals(recordedAt, that.recordedAt)
        && Objects.equals(storage, that.storage)
        && Objects.equals(managedPolicies, that.managedPolicies);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uniqueId, recordedAt, storage, managedPolicies);
  }
}
