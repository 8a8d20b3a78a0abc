package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.controller.apply.ForeignObjectException;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.model.repository.Repository;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the operator-issued serving certificate of a Repository whose spec names no TLS Secret
 * ({@link IssuedTlsSecret}): created when missing, issued again before it expires. A renewal
 * changes the fingerprint, which the reconciler's usual path announces and re-exports. When the
 * spec names a TLS Secret, the issued one serves nothing and is deleted: keeping an unused private
 * key buys nothing, since switching back changes the fingerprint either way.
 */
final class IssuedTlsSecrets {
  private static final Logger LOG = LoggerFactory.getLogger(IssuedTlsSecrets.class);

  private final KubernetesClient client;
  private final InformerCache<Secret> secrets;
  private final Clock clock;

  IssuedTlsSecrets(KubernetesClient client, InformerCache<Secret> secrets, Clock clock) {
    this.client = client;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** Whether the operator issues this Repository's certificate: its spec names no TLS Secret. */
  static boolean issues(Repository repository) {
    return repository.getSpec().getServer() == null
        || repository.getSpec().getServer().getTlsSecretName() == null;
  }

  /**
   * The issued Secret, current, when the spec names no TLS Secret; empty (and the issued one
   * deleted) when it names one.
   *
   * @throws ForeignObjectException when an object the Repository does not own holds the name
   */
  Optional<Secret> ensure(Repository repository, String serviceName) {
    String namespace = repository.getMetadata().getNamespace();
    String name = IssuedTlsSecret.name(serviceName);
    Optional<Secret> cached = secrets.get(namespace, name);
    if (!issues(repository)) {
      retire(repository, name, cached);
      return Optional.empty();
    }
    if (cached.isPresent()) {
      return Optional.of(current(repository, serviceName, owned(cached.get(), repository), true));
    }
    Secret desired = desired(repository, serviceName);
    try {
      Secret created = client.resource(desired).create();
      LOG.info("issued a serving certificate in Secret {}/{}", namespace, name);
      return Optional.of(created);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Created by an earlier pass the cache has not caught up with yet.
      return Optional.of(current(repository, serviceName, live(repository, name), false));
    }
  }

  /**
   * The held Secret if it still serves, else the same Secret with a new certificate. The write is
   * conditional on the held resourceVersion: a stale cache (a renewal it has not seen yet) gets a
   * 409, and the live Secret is judged instead of renewing twice.
   */
  private Secret current(
      Repository repository, String serviceName, Secret held, boolean mayBeStale) {
    String namespace = repository.getMetadata().getNamespace();
    Optional<String> reason =
        IssuedTlsSecret.renewalReason(held, serviceName, namespace, clock.instant());
    if (reason.isEmpty()) {
      return held;
    }
    Secret renewed = desired(repository, serviceName);
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("resourceVersion", held.getMetadata().getResourceVersion()),
            "data", renewed.getData());
    try {
      Secret written =
          client
              .secrets()
              .inNamespace(namespace)
              .withName(held.getMetadata().getName())
              .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
      LOG.info(
          "renewed the serving certificate in Secret {}/{}: {}",
          namespace,
          held.getMetadata().getName(),
          reason.get());
      return written;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 || !mayBeStale) {
        throw e;
      }
      return current(
          repository, serviceName, live(repository, held.getMetadata().getName()), false);
    }
  }

  /** The spec names a TLS Secret now: the issued one, if still there and ours, goes. */
  private void retire(Repository repository, String name, Optional<Secret> cached) {
    boolean named = name.equals(repository.getSpec().getServer().getTlsSecretName());
    if (named || cached.isEmpty() || !OwnerReferences.isControlledBy(cached.get(), repository)) {
      return;
    }
    client.secrets().inNamespace(repository.getMetadata().getNamespace()).withName(name).delete();
    LOG.info(
        "deleted the issued serving certificate {}/{}: the spec names a TLS Secret",
        repository.getMetadata().getNamespace(),
        name);
  }

  private Secret live(Repository repository, String name) {
    Secret found =
        client.secrets().inNamespace(repository.getMetadata().getNamespace()).withName(name).get();
    if (found == null) {
      throw new IllegalStateException(
          "Secret " + name + " vanished while its serving certificate was written; retrying");
    }
    return owned(found, repository);
  }

  private Secret desired(Repository repository, String serviceName) {
    Secret secret =
        IssuedTlsSecret.issue(
            repository.getMetadata().getNamespace(),
            serviceName,
            ServerModel.generatedLabels(repository),
            clock.instant());
    OwnerReferences.setController(repository, secret);
    return secret;
  }

  private static Secret owned(Secret existing, Repository repository) {
    if (!OwnerReferences.isControlledBy(existing, repository)) {
      throw new ForeignObjectException(existing, repository);
    }
    return existing;
  }
}
