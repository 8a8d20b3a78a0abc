package io.kanister.kopia.operator.global;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import java.util.List;
import java.util.Map;

/**
 * Global mode's start-up step: the singleton {@code repository-global} exists. It is created from
 * the operator's configuration when missing and adopted as it is when present: a user's later edits
 * (a policy, other Secrets) are never overwritten by a restart.
 */
public final class GlobalRepositoryBootstrap {
  /** What the bootstrap found. */
  public enum Outcome {
    CREATED,
    ADOPTED
  }

  private GlobalRepositoryBootstrap() {}

  /**
   * @param adminSecret empty when the operator generates the admin credentials
   * @param tlsSecret empty when the operator issues the serving certificate
   */
  public static Outcome ensure(
      KubernetesClient client,
      String namespace,
      String locationSecret,
      String adminSecret,
      String tlsSecret,
      List<String> accessSecrets) {
    var repositories = client.resources(Repository.class).inNamespace(namespace);
    if (repositories.withName(Repository.GLOBAL_NAME).get() != null) {
      return Outcome.ADOPTED;
    }
    Repository singleton = new Repository();
    singleton.getMetadata().setName(Repository.GLOBAL_NAME);
    singleton.getMetadata().setNamespace(namespace);
    // Global mode serves every namespace: the target label is present and empty.
    singleton.getMetadata().setLabels(Map.of(RepositoryLabels.TARGET_NAMESPACE, ""));
    RepositorySpec spec = new RepositorySpec();
    LocationSpec location = new LocationSpec();
    location.setSecretName(locationSecret);
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    if (!adminSecret.isEmpty()) {
      server.setAdminSecretName(adminSecret);
    }
    if (!tlsSecret.isEmpty()) {
      server.setTlsSecretName(tlsSecret);
    }
    server.setAccessSecretNames(new java.util.ArrayList<>(accessSecrets));
    spec.setServer(server);
    singleton.setSpec(spec);
    try {
      repositories.resource(singleton).create();
      return Outcome.CREATED;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Outcome.ADOPTED; // another replica created it first
      }
      throw e;
    }
  }
}
