package io.kanister.kopia.operator.webhook;

import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.validation.ProblemCollector;
import io.kanister.kopia.operator.repository.StorageClaims;
import io.kanister.kopia.operator.repository.StorageKey;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a Repository whose location Secret points at the storage an older Repository uses, with
 * the reconciler's rule ({@link StorageClaims}). Only what can be read is compared: a missing
 * Secret, or one that does not parse, is left to the reconciler, which checks again on every pass.
 */
final class StorageInUseCheck {
  private final SecretLookup secrets;
  private final RepositoryLister repositories;

  StorageInUseCheck(SecretLookup secrets, RepositoryLister repositories) {
    this.secrets = secrets;
    this.repositories = repositories;
  }

  void check(String namespace, Repository repository, ProblemCollector problems) {
    Optional<StorageKey> key = keyOf(namespace, repository);
    if (key.isEmpty()) {
      return;
    }
    List<Repository> existing;
    try {
      existing = repositories.list(namespace);
    } catch (RuntimeException e) {
      return;
    }
    if (repository.getMetadata().getNamespace() == null) {
      repository.getMetadata().setNamespace(namespace);
    }
    StorageClaims.olderHolder(repository, key.get(), existing, other -> keyOf(namespace, other))
        .ifPresent(
            holder ->
                problems.add(
                    SecretReference.LOCATION_FIELD, StorageClaims.message(holder, key.get())));
  }

  private Optional<StorageKey> keyOf(String namespace, Repository repository) {
    if (repository.getSpec() == null
        || repository.getSpec().getLocation() == null
        || repository.getSpec().getLocation().getSecretName() == null) {
      return Optional.empty();
    }
    try {
      return secrets
          .data(namespace, repository.getSpec().getLocation().getSecretName())
          .flatMap(StorageKey::of);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
