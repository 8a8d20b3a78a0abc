package io.kanister.kopia.operator.webhook;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;

/** Repository objects for webhook tests. */
final class Repositories {
  private Repositories() {}

  static Repository repository(String namespace, String name, String target) {
    Repository repository = new Repository();
    repository.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(target);
    spec.setLocation(new LocationSpec("location"));
    repository.setSpec(spec);
    return repository;
  }
}
