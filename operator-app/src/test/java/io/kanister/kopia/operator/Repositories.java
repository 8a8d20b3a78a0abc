package io.kanister.kopia.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;

/** Bare Repository objects for tests that read only metadata and a location Secret name. */
public final class Repositories {
  private Repositories() {}

  /** A global-mode Repository (no target namespace). */
  public static Repository repository(String namespace, String name) {
    return repository(namespace, name, null);
  }

  /**
   * @param target the target namespace; null for a global-mode Repository
   */
  public static Repository repository(String namespace, String name, String target) {
    Repository repository = new Repository();
    repository.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(target);
    spec.setLocation(new LocationSpec("location"));
    repository.setSpec(spec);
    return repository;
  }
}
