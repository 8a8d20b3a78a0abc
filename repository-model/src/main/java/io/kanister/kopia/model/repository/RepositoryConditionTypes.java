package io.kanister.kopia.model.repository;

/** The condition types the operator reports on a Repository. */
public final class RepositoryConditionTypes {
  /** The Kopia repository exists in its storage and opens with the configured password. */
  public static final String REPOSITORY_READY = "RepositoryReady";

  /** The repository server answers its control API. */
  public static final String SERVER_READY = "ServerReady";

  /** Every access user is registered with the server. */
  public static final String USERS_READY = "UsersReady";

  /** spec.policy and spec.policies are what Kopia holds. */
  public static final String POLICY_APPLIED = "PolicyApplied";

  /** The operator's scheduled Kopia maintenance runs and succeeds (docs/maintenance.md). */
  public static final String MAINTENANCE_HEALTHY = "MaintenanceHealthy";

  private RepositoryConditionTypes() {}
}
