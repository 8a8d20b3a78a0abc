package io.kanister.controller.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.logging.ScrubbedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer per type and namespace scope, shared by every controller and reader that asks for
 * it. Informers created before {@link #start()} start together; later ones start at once.
 */
public final class SharedInformers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedInformers.class);

  private final KubernetesClient client;
  private final Map<Key, InformerCache<?>> caches = new LinkedHashMap<>();
  private boolean started;

  public SharedInformers(KubernetesClient client) {
    this.client = client;
  }

  /** The cache of {@code type} in {@code namespace}, or in all namespaces when it is null. */
  @SuppressWarnings("unchecked")
  public synchronized <R extends HasMetadata> InformerCache<R> cache(
      Class<R> type, String namespace) {
    return (InformerCache<R>)
        caches.computeIfAbsent(
            new Key(type, namespace),
            key -> {
              var resources = client.resources(type);
              var informer =
                  namespace == null
                      ? resources.inAnyNamespace().runnableInformer(0)
                      : resources.inNamespace(namespace).runnableInformer(0);
              var cache = new InformerCache<>(type, namespace, informer);
              if (started) {
                startOne(cache);
              }
              return cache;
            });
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    caches.values().forEach(this::startOne);
  }

  /** Waits until every informer has listed once, so reads reflect the cluster. */
  public void awaitSynced(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (var cache : snapshot()) {
      try {
        cache.synced().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("informer " + cache + " failed to sync", e.getCause());
      }
    }
  }

  /** Live: every informer is running (its list-watch loop has not given up). */
  public boolean allRunning() {
    return snapshot().stream().allMatch(InformerCache::isRunning);
  }

  /** Ready: every informer has synced. */
  public boolean allSynced() {
    return snapshot().stream().allMatch(InformerCache::hasSynced);
  }

  public synchronized List<InformerCache<?>> snapshot() {
    return new ArrayList<>(caches.values());
  }

  @Override
  public void close() {
    snapshot().forEach(InformerCache::stop);
  }

  private void startOne(InformerCache<?> cache) {
    LOG.debug("starting informer {}", cache);
    cache.start();
    cache
        .synced()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                LOG.error("informer {} failed to start", cache, ScrubbedException.of(error));
              } else {
                LOG.info("informer {} synced", cache);
              }
            });
  }

  private record Key(Class<?> type, String namespace) {}
}
