package io.kanister.kopia.operator.webhook;

import io.kanister.kopia.model.repository.Repository;
import java.util.List;

/** The Repositories that already exist, for the one-Repository-per-storage rule. */
@FunctionalInterface
public interface RepositoryLister {
  /**
   * @throws RuntimeException when they cannot be listed; the rule is then left to the reconciler
   */
  List<Repository> list(String namespace);
}
