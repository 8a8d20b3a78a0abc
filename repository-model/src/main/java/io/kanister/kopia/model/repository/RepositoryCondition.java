package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * One aspect of the Repository's state. Unlike {@code metav1.Condition} it also carries the seed's
 * {@code lastUpdateTime}: when the operator last confirmed this condition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepositoryCondition {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  @JsonPropertyDescription("RepositoryReady, ServerReady, UsersReady or PolicyApplied.")
  @Required
  @Pattern("^[A-Za-z][A-Za-z0-9]*$")
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  @Required
  @Pattern("^(True|False|Unknown)$")
  private String status;

  @JsonPropertyDescription("A CamelCase word saying why, e.g. InvalidPassword.")
  @Pattern("^([A-Za-z][A-Za-z0-9]*)?$")
  private String reason;

  @JsonPropertyDescription("What happened and how to fix it; never a secret value.")
  private String message;

  @JsonPropertyDescription("When status last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("When the operator last confirmed this condition (RFC 3339).")
  private String lastUpdateTime;

  @JsonPropertyDescription("The metadata.generation this condition describes.")
  @Min(0)
  private Long observedGeneration;

  public RepositoryCondition() {}

  public RepositoryCondition(String type, String status, String reason, String message) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getLastUpdateTime() {
    return lastUpdateTime;
  }

  public void setLastUpdateTime(String lastUpdateTime) {
    this.lastUpdateTime = lastUpdateTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RepositoryCondition that
        && Objects.equals(type, that.type)
        && Objects.equals(status, that.status)
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message)
        && Objects.equals(lastTransitionTime, that.lastTransitionTime)
        && Objects.equals(lastUpdateTime, that.lastUpdateTime)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        type, status, reason, message, lastTransitionTime, lastUpdateTime, observedGeneration);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + ")";
  }
}
