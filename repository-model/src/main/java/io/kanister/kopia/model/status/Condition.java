package io.kanister.kopia.model.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * One entry of {@code status.conditions}, as a plain Jackson bean so that CRD POJOs can embed it
 * (or mirror it) and the CRD generator can see it. Times are RFC 3339 strings as stored by the API
 * server.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  @JsonPropertyDescription("The aspect this condition describes, e.g. Ready.")
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

  @JsonPropertyDescription("The metadata.generation this condition describes.")
  @Min(0)
  // 2^62: exact as the schema's float64 maximum, unlike 2^63 - 1, which would round past Long.
  @Max(1L << 62)
  private Long observedGeneration;

  @JsonPropertyDescription("When status last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription(
      "When the controller last changed anything in this condition (RFC 3339); unlike"
          + " metav1.Condition, conditions here carry it, as the Kanister design asks.")
  private String lastUpdateTime;

  public Condition() {}

  public Condition(String type, String status, String reason, String message) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  public Condition withObservedGeneration(Long generation) {
    this.observedGeneration = generation;
    return this;
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

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c
        && Objects.equals(type, c.type)
        && Objects.equals(status, c.status)
        && Objects.equals(reason, c.reason)
        && Objects.equals(message, c.message)
        && Objects.equals(observedGeneration, c.observedGeneration)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime)
        && Objects.equals(lastUpdateTime, c.lastUpdateTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        type, status, reason, message, observedGeneration, lastTransitionTime, lastUpdateTime);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + ": " + message + ")";
  }
}
