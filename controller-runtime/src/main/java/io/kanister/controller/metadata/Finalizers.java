package io.kanister.controller.metadata;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.write.OptimisticWrite;

/** Adds and removes finalizers with optimistic concurrency; a no-op when nothing changes. */
public final class Finalizers {
  private final KubernetesClient client;
  private final OptimisticWrite write;

  public Finalizers(KubernetesClient client) {
    this.client = client;
    this.write = new OptimisticWrite(client, () -> {});
  }

  public static boolean has(HasMetadata object, String finalizer) {
    var finalizers = object.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(finalizer);
  }

  public static boolean isBeingDeleted(HasMetadata object) {
    return object.getMetadata().getDeletionTimestamp() != null;
  }

  /** Adds {@code finalizer} and returns the object as stored. */
  public <R extends HasMetadata> R add(R object, String finalizer) {
    return write.apply(
        object,
        r -> {
          if (!has(r, finalizer)) {
            r.addFinalizer(finalizer);
          }
        },
        r -> client.resource(r).update());
  }

  /** Removes {@code finalizer}, letting the API server finish a pending deletion. */
  public <R extends HasMetadata> R remove(R object, String finalizer) {
    return write.apply(object, r -> r.removeFinalizer(finalizer), r -> client.resource(r).update());
  }
}
