package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.server.ServerPlan;

/**
 * A step that runs after the server objects are in place, such as access-user sync. It reports
 * through {@code status}, and throws only for failures worth a retry with backoff.
 */
@FunctionalInterface
public interface RepositoryStep {
  void run(
      Repository repository,
      RepositoryInputs inputs,
      ServerPlan plan,
      boolean serverServing,
      Kopia kopia,
      RepositoryConditions status)
      throws Exception;
}
