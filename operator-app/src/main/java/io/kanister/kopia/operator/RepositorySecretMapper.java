package io.kanister.kopia.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.watch.RequestMapper;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Maps a Secret event to the Repositories it matters to: those that name it (location, admin, TLS,
 * access) and the one that owns it (config and generated admin Secrets). An edited Secret
 * re-reconciles only its own Repositories.
 */
final class RepositorySecretMapper implements RequestMapper<Secret> {
  private final InformerCache<Repository> repositories;

  RepositorySecretMapper(InformerCache<Repository> repositories) {
    this.repositories = repositories;
  }

  @Override
  public Set<Request> map(Secret secret) {
    Set<Request> requests = new HashSet<>();
    String namespace = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    OwnerReferences.controllerOf(secret)
        .filter(owner -> Repository.KIND.equals(owner.getKind()))
        .ifPresent(owner -> requests.add(new Request(namespace, owner.getName())));
    for (Repository repository : repositories.list()) {
      if (Objects.equals(namespace, repository.getMetadata().getNamespace())
          && references(repository.getSpec(), name)) {
        requests.add(Request.of(repository));
      }
    }
    return requests;
  }

  static boolean references(RepositorySpec spec, String secretName) {
    if (spec == null) {
      return false;
    }
    if (spec.getLocation() != null && secretName.equals(spec.getLocation().getSecretName())) {
      return true;
    }
    var server = spec.getServer();
    return server != null
        && (secretName.equals(server.getAdminSecretName())
            || secretName.equals(server.getTlsSecretName())
            || server.getAccessSecretNames().contains(secretName));
  }
}
