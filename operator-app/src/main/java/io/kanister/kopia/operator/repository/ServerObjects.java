package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.kanister.controller.apply.ApplyOutcome;
import io.kanister.controller.apply.ForeignObjectException;
import io.kanister.controller.apply.OwnedObjectApplier;
import io.kanister.controller.cache.CachedObjects;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.server.ServerPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Applies a {@link ServerModel}: the server's config Secret, its Deployment and its Service, each
 * created when missing and patched only when it drifted. Decides nothing about their content.
 */
final class ServerObjects {
  /** Kept under the name the operator has always stamped, so upgrades do not re-apply objects. */
  static final String DESIRED_HASH_ANNOTATION = "controller.kanister.io/desired-hash";

  /** The result of one pass: the plan, the live Deployment, and what changed. */
  record Applied(ServerPlan plan, Deployment deployment, List<String> changes) {}

  private final KubernetesClient client;
  private final InformerCache<Secret> secrets;
  private final OwnedObjectApplier applier;

  ServerObjects(KubernetesClient client, InformerCache<Secret> secrets) {
    this(client, secrets, CachedObjects.none());
  }

  /**
   * Reads the current config Secret, Deployment and Service from {@code owned} when it has them.
   */
  ServerObjects(KubernetesClient client, InformerCache<Secret> secrets, CachedObjects owned) {
    this.client = client;
    this.secrets = secrets;
    this.applier =
        new OwnedObjectApplier(client, ServerModel.FIELD_MANAGER, DESIRED_HASH_ANNOTATION, owned);
  }

  /** The generated admin Secret when the spec names none; created once, never changed. */
  Optional<Secret> generatedAdmin(Repository repository, String serviceName) {
    if (!ServerModel.generatesAdmin(repository)) {
      return Optional.empty();
    }
    Secret desired = ServerModel.generatedAdminSecret(repository, serviceName);
    Optional<Secret> cached =
        secrets.get(desired.getMetadata().getNamespace(), desired.getMetadata().getName());
    if (cached.isPresent()) {
      return Optional.of(ownedOrRefused(cached.get(), repository));
    }
    try {
      return Optional.of(client.resource(desired).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Created by an earlier pass that the cache has not caught up with yet.
      return Optional.of(ownedOrRefused(client.resource(desired).get(), repository));
    }
  }

  private static Secret ownedOrRefused(Secret existing, Repository repository) {
    if (!OwnerReferences.isControlledBy(existing, repository)) {
      throw new ForeignObjectException(existing, repository);
    }
    return existing;
  }

  Applied apply(Repository repository, ServerModel model) {
    List<String> changes = new ArrayList<>();
    ServerPlan plan = model.plan();
    var config = applier.apply(repository, model.configSecret());
    note(changes, config.outcome(), "Secret " + plan.configSecretName());
    var deployment = applier.apply(repository, model.deployment());
    note(changes, deployment.outcome(), "Deployment " + plan.serviceName());
    var service = applier.apply(repository, model.service());
    note(changes, service.outcome(), "Service " + plan.serviceName());
    return new Applied(model.startedPlan(), deployment.object(), changes);
  }

  /**
   * Deletes what {@link #apply} created for {@code repository}; returns the kinds and names
   * removed. An object of the same name that the Repository does not control is left alone.
   */
  List<String> delete(Repository repository, String serviceName) {
    String namespace = repository.getMetadata().getNamespace();
    List<String> removed = new ArrayList<>();
    deleteIfOwned(
        repository,
        client.apps().deployments().inNamespace(namespace).withName(serviceName),
        removed);
    deleteIfOwned(
        repository, client.services().inNamespace(namespace).withName(serviceName), removed);
    for (String secret : ServerModel.ownedSecretNames(serviceName)) {
      deleteIfOwned(repository, client.secrets().inNamespace(namespace).withName(secret), removed);
    }
    return removed;
  }

  private static <T extends HasMetadata> void deleteIfOwned(
      Repository repository, Resource<T> resource, List<String> removed) {
    T object = resource.get();
    if (object != null && OwnerReferences.isControlledBy(object, repository)) {
      resource.delete();
      removed.add(object.getKind() + " " + object.getMetadata().getName());
    }
  }

  private static void note(List<String> changes, ApplyOutcome outcome, String what) {
    if (outcome != ApplyOutcome.UNCHANGED) {
      changes.add(what + " " + outcome.name().toLowerCase(Locale.ROOT));
    }
  }
}
