package io.kanister.controller.write;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Applies a change to an object and writes it with its {@code resourceVersion}, so the API server
 * rejects the write (409) if someone else changed the object meanwhile. On a conflict it re-reads
 * the object and applies the change again. A change that leaves the object as it was is not written
 * at all.
 */
public final class OptimisticWrite {
  /** Conflicts are normal under contention but endless ones point at a fight between writers. */
  public static final int MAX_ATTEMPTS = 10;

  private final KubernetesClient client;
  private final Runnable onConflict;

  public OptimisticWrite(KubernetesClient client, Runnable onConflict) {
    this.client = client;
    this.onConflict = onConflict;
  }

  /**
   * @param start the object as last seen, e.g. from a cache; it is not modified
   * @param change mutates a copy of the object
   * @param write sends the copy, e.g. {@code r -> client.resource(r).updateStatus()}
   * @return the object as written, or the fresh copy when there was nothing to write
   */
  public <R extends HasMetadata> R apply(R start, Consumer<R> change, UnaryOperator<R> write) {
    var serialization = client.getKubernetesSerialization();
    R current = start;
    for (int attempt = 1; ; attempt++) {
      R copy = serialization.clone(current);
      String before = serialization.asJson(copy);
      change.accept(copy);
      if (before.equals(serialization.asJson(copy))) {
        return copy;
      }
      try {
        return write.apply(copy);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        onConflict.run();
        current = reread(current);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> R reread(R stale) {
    var type = (Class<R>) stale.getClass();
    var meta = stale.getMetadata();
    var resources = client.resources(type);
    R fresh =
        meta.getNamespace() == null
            ? resources.withName(meta.getName()).get()
            : resources.inNamespace(meta.getNamespace()).withName(meta.getName()).get();
    if (fresh == null) {
      throw new KubernetesClientException(
          stale.getKind() + " " + meta.getName() + " was deleted while it was being updated",
          HttpURLConnection.HTTP_NOT_FOUND,
          null);
    }
    return fresh;
  }
}
