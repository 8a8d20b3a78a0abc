package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.kanister.controller.cache.InformerCache;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.secret.SecretData;
import java.util.Optional;

/** Where each Repository's location Secret points, read from the Secret informer cache. */
final class RepositoryStorageKeys {
  private final InformerCache<Secret> secrets;

  RepositoryStorageKeys(InformerCache<Secret> secrets) {
    this.secrets = secrets;
  }

  Optional<StorageKey> of(Repository repository) {
    if (repository.getSpec() == null
        || repository.getSpec().getLocation() == null
        || repository.getSpec().getLocation().getSecretName() == null) {
      return Optional.empty();
    }
    return secrets
        .get(
            repository.getMetadata().getNamespace(),
            repository.getSpec().getLocation().getSecretName())
        .flatMap(secret -> StorageKey.of(SecretData.of(secret)));
  }
}
