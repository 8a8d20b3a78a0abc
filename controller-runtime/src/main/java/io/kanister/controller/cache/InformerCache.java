package io.kanister.controller.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kanister.controller.reconcile.Request;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Read access to one shared informer's store: by name, by labels and by custom index. Objects
 * returned are the cache's own; copy before changing them.
 */
public final class InformerCache<R extends HasMetadata> {
  private final Class<R> type;
  private final String namespace;
  private final SharedIndexInformer<R> informer;
  private final CompletableFuture<Void> synced = new CompletableFuture<>();

  InformerCache(Class<R> type, String namespace, SharedIndexInformer<R> informer) {
    this.type = type;
    this.namespace = namespace;
    this.informer = informer;
  }

  public Class<R> type() {
    return type;
  }

  /** The namespace watched, or null for all namespaces. */
  public String namespace() {
    return namespace;
  }

  public Optional<R> get(String namespace, String name) {
    return Optional.ofNullable(
        informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
  }

  public Optional<R> get(Request request) {
    return get(request.namespace(), request.name());
  }

  public List<R> list() {
    return informer.getStore().list();
  }

  /** The objects of one namespace, from the informer's namespace index. */
  public List<R> listInNamespace(String namespace) {
    return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  /** Objects carrying all the given labels with the given values. */
  public List<R> listByLabels(Map<String, String> labels) {
    return list().stream()
        .filter(
            r -> {
              var actual = r.getMetadata().getLabels();
              return labels.entrySet().stream()
                  .allMatch(
                      e -> actual != null && Objects.equals(actual.get(e.getKey()), e.getValue()));
            })
        .toList();
  }

  /**
   * Adds a named index, e.g. Secrets by a label value or workloads by service account; add it
   * before the informer starts so the first list is indexed too.
   */
  public void addIndex(String indexName, Function<R, List<String>> indexFunction) {
    informer.addIndexers(Map.of(indexName, indexFunction));
  }

  public List<R> byIndex(String indexName, String value) {
    return informer.getIndexer().byIndex(indexName, value);
  }

  public void addEventHandler(ResourceEventHandler<R> handler) {
    informer.addEventHandler(handler);
  }

  public boolean hasSynced() {
    return informer.hasSynced();
  }

  public boolean isRunning() {
    return informer.isRunning();
  }

  public boolean isWatching() {
    return informer.isWatching();
  }

  /** Completes when the first list has been stored. */
  public CompletableFuture<Void> synced() {
    return synced;
  }

  synchronized void start() {
    if (informer.isRunning() || synced.isDone()) {
      return;
    }
    informer
        .start()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                synced.completeExceptionally(error);
              } else {
                synced.complete(null);
              }
            });
  }

  void stop() {
    informer.stop();
  }

  @Override
  public String toString() {
    return HasMetadata.getKind(type)
        + (namespace == null ? "(all namespaces)" : "(" + namespace + ")");
  }
}
