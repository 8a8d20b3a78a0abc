package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import java.util.Objects;

/** When the operator runs Kopia maintenance for this repository (docs/maintenance.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceSpec {
  @JsonPropertyDescription(
      "Run maintenance on a schedule (default true). false: the operator runs none, and deleted"
          + " snapshots free no storage.")
  private Boolean enabled;

  @JsonPropertyDescription("Time between quick maintenance runs, e.g. 1h (the default).")
  @Pattern(RepositoryPolicySpec.DURATION)
  @Size(max = 32)
  // Below a minute Kopia would spend its time in maintenance; the pattern has checked the form.
  @ValidationRule(
      value = "!self.matches('^[0-5]?[0-9]s$') && !self.matches('^[0hms]*$')",
      message = "spec.maintenance.quickInterval must be at least 1m, e.g. 1h")
  private String quickInterval;

  @JsonPropertyDescription("Time between full maintenance runs, e.g. 24h (the default).")
  @Pattern(RepositoryPolicySpec.DURATION)
  @Size(max = 32)
  @ValidationRule(
      value = "!self.matches('^[0-5]?[0-9]s$') && !self.matches('^[0hms]*$')",
      message = "spec.maintenance.fullInterval must be at least 1m, e.g. 24h")
  private String fullInterval;

  @JsonPropertyDescription(
      "Make the operator the maintenance owner of a repository another client owns. Two owners"
          + " running maintenance at once can lose data: set it only once that client has stopped"
          + " running maintenance (docs/maintenance.md).")
  private Boolean takeOver;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getQuickInterval() {
    return quickInterval;
  }

  public void setQuickInterval(String quickInterval) {
    this.quickInterval = quickInterval;
  }

  public String getFullInterval() {
    return fullInterval;
  }

  public void setFullInterval(String fullInterval) {
    this.fullInterval = fullInterval;
  }

  public Boolean getTakeOver() {
    return takeOver;
  }

  public void setTakeOver(Boolean takeOver) {
    this.takeOver = takeOver;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaintenanceSpec that
        && Objects.equals(enabled, that.enabled)
        && Objects.equals(quickInterval, that.quickInterval)
        && Objects.equals(fullInterval, that.fullInterval)
        && Objects.equals(takeOver, that.takeOver);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, quickInterval, fullInterval, takeOver);
  }
}
