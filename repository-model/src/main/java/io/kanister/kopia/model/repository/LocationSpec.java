package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Points at the Secret that says where the repository is and how to open it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocationSpec {
  @JsonPropertyDescription(
      "Secret, in the Repository's namespace, with the storage type, bucket, credentials and"
          + " repository password (see docs/secrets.md).")
  @Required
  @Pattern(KubernetesNames.DNS_SUBDOMAIN)
  @Size(min = 1, max = KubernetesNames.DNS_SUBDOMAIN_MAX_LENGTH)
  private String secretName;

  public LocationSpec() {}

  public LocationSpec(String secretName) {
    this.secretName = secretName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }
}
