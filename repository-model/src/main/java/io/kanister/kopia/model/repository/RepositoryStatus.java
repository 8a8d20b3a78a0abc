package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.kanister.kopia.model.policy.NumericBounds;
import io.kanister.kopia.model.status.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the operator last saw and did; written through the status subresource only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepositoryStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  @Min(0)
  @Max(NumericBounds.INT64_EXACT_MAX)
  private Long observedGeneration;

  @JsonPropertyDescription("RepositoryReady, ServerReady, UsersReady and PolicyApplied.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("How clients reach the repository server.")
  private ServerStatus server;

  @JsonPropertyDescription("The server access users.")
  private UsersStatus users;

  @JsonPropertyDescription("Kopia maintenance: owner, last runs, next due.")
  private MaintenanceStatus maintenance;

  @JsonPropertyDescription(
      "The Kopia repository this Repository is pinned to, and the policies the operator owns.")
  private RepositoryIdentityStatus repository;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  /** The condition of that type, if the operator has reported it. */
  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public ServerStatus getServer() {
    return server;
  }

  public void setServer(ServerStatus server) {
    this.server = server;
  }

  public UsersStatus getUsers() {
    return users;
  }

  public void setUsers(UsersStatus users) {
    this.users = users;
  }

  public MaintenanceStatus getMaintenance() {
    return maintenance;
  }

  public void setMaintenance(MaintenanceStatus maintenance) {
    this.maintenance = maintenance;
  }

  public RepositoryIdentityStatus getRepository() {
    return repository;
  }

  public void setRepository(RepositoryIdentityStatus repository) {
    this.repository = repository;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RepositoryStatus that
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(server, that.server)
        && Objects.equals(users, that.users)
        && Objects.equals(maintenance, that.maintenance)
        && Objects.equals(repository, that.repository);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, server, users, maintenance, repository);
  }
}
