package io.kanister.kopia.operator.repository;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
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
        .flatMap(this::keyOf);
  }

  // Every pass compares its storage with every other Repository's: parse each Secret once per
  // resourceVersion, not once per pass (that made a resync of n Repositories parse n² Secrets).
  private record Parsed(String resourceVersion, Optional<StorageKey> key) {}

  // Bounded: deleted Secrets leave entries behind.
  private final Cache<String, Parsed> parsed =
      CacheBuilder.newBuilder().maximumSize(20_000).build();

  private Optional<StorageKey> keyOf(Secret secret) {
    String id = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    String version = secret.getMetadata().getResourceVersion();
    Parsed known = parsed.getIfPresent(id);
    if (known != null && version != null && version.equals(known.resourceVersion())) {
      return known.key();
    }
    Optional<StorageKey> key = StorageKey.of(SecretData.of(secret));
    parsed.put(id, new Parsed(version, key));
    return key;
  }
}
