package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Who owns the repository's maintenance, its last runs, and when the next ones are due. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceStatus {
  @JsonPropertyDescription(
      "The user@host Kopia lets run maintenance; the operator's own is kopia-operator@<ns>.<name>.")
  @Size(max = 512)
  private String owner;

  @JsonPropertyDescription("Whether the operator runs this repository's maintenance.")
  private Boolean ownedByOperator;

  @JsonPropertyDescription("The run in progress (quick or full), if any.")
  @Size(max = 16)
  private String running;

  @JsonPropertyDescription("The last quick maintenance the operator ran.")
  private MaintenanceRunStatus lastQuick;

  @JsonPropertyDescription("The last full maintenance the operator ran.")
  private MaintenanceRunStatus lastFull;

  @JsonPropertyDescription("When quick maintenance is next due (RFC 3339), from Kopia's schedule.")
  @Size(max = 64)
  private String nextQuick;

  @JsonPropertyDescription("When full maintenance is next due (RFC 3339), from Kopia's schedule.")
  @Size(max = 64)
  private String nextFull;

  public String getOwner() {
    return owner;
  }

  public void setOwner(String owner) {
    this.owner = owner;
  }

  public Boolean getOwnedByOperator() {
    return ownedByOperator;
  }

  public void setOwnedByOperator(Boolean ownedByOperator) {
    this.ownedByOperator = ownedByOperator;
  }

  public String getRunning() {
    return running;
  }

  public void setRunning(String running) {
    this.running = running;
  }

  public MaintenanceRunStatus getLastQuick() {
    return lastQuick;
  }

  public void setLastQuick(MaintenanceRunStatus lastQuick) {
    this.lastQuick = lastQuick;
  }

  public MaintenanceRunStatus getLastFull() {
    return lastFull;
  }

  public void setLastFull(MaintenanceRunStatus lastFull) {
    this.lastFull = lastFull;
  }

  public String getNextQuick() {
    return nextQuick;
  }

  public void setNextQuick(String nextQuick) {
    this.nextQuick = nextQuick;
  }

  public String getNextFull() {
    return nextFull;
  }

  public void setNextFull(String nextFull) {
    this.nextFull = nextFull;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaintenanceStatus that
        && Objects.equals(owner, that.owner)
        && Objects.equals(ownedByOperator, that.ownedByOperator)
        && Objects.equals(running, that.running)
        && Objects.equals(lastQuick, that.lastQuick)
        && Objects.equals(lastFull, that.lastFull)
        && Objects.equals(nextQuick, that.nextQuick)
        && Objects.equals(nextFull, that.nextFull);
  }

  @Override
  public int hashCode() {
    return Objects.hash(owner, ownedByOperator, running, lastQuick, lastFull, nextQuick, nextFull);
  }
}
