package io.kanister.controller.cache;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.impl.DefaultSharedIndexInformer;
import io.fabric8.kubernetes.client.informers.impl.ListerWatcher;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.logging.ScrubbedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer per type and namespace scope, shared by every controller and reader that asks for
 * it. Informers created before {@link #start()} start together; later ones start at once.
 *
 * <p>Custom resources are decoded one object at a time ({@link DecodingListerWatcher}): their
 * schema is whatever a CRD says, so an object the Java type cannot hold is skipped and reported
 * instead of stopping the informer. Built-in types keep fabric8's typed informer; the API server
 * validates them against the very schema their Java model is generated from.
 */
public final class SharedInformers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedInformers.class);

  private final KubernetesClient client;
  private final Map<Key, InformerCache<?>> caches = new LinkedHashMap<>();
  private final ExecutorService dispatch =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "informer-dispatch");
            thread.setDaemon(true);
            return thread;
          });
  private final UndecodableObjects undecodable;
  private boolean started;

  public SharedInformers(KubernetesClient client) {
    this(client, new SimpleMeterRegistry());
  }

  public SharedInformers(KubernetesClient client, MeterRegistry registry) {
    this.client = client;
    this.undecodable = new UndecodableObjects(registry, dispatch);
  }

  /** Records a Warning Event on each object an informer had to skip. */
  public void reportUndecodableTo(EventRecorder events) {
    undecodable.events(events);
  }

  /** The cache of {@code type} in {@code namespace}, or in all namespaces when it is null. */
  public <R extends HasMetadata> InformerCache<R> cache(Class<R> type, String namespace) {
    return cache(type, namespace, Map.of());
  }

  /**
   * The cache of the objects of {@code type} carrying all of {@code labels}: the API server selects
   * them (a label selector on the list and watch), so nothing else is ever sent or held. An object
   * that loses a label arrives as a delete. Empty labels select everything.
   */
  @SuppressWarnings("unchecked")
  public synchronized <R extends HasMetadata> InformerCache<R> cache(
      Class<R> type, String namespace, Map<String, String> labels) {
    Map<String, String> selector = Map.copyOf(labels);
    return (InformerCache<R>)
        caches.computeIfAbsent(
            new Key(type, namespace, selector),
            key -> {
              SharedIndexInformer<R> informer = informer(type, namespace, selector);
              informer.itemStore(new LeanItemStore<>());
              var cache = new InformerCache<>(type, namespace, informer);
              if (started) {
                startOne(cache);
              }
              return cache;
            });
  }

  private <R extends HasMetadata> SharedIndexInformer<R> informer(
      Class<R> type, String namespace, Map<String, String> labels) {
    if (!CustomResource.class.isAssignableFrom(type)) {
      var resources = client.resources(type);
      var scoped =
          namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
      return labels.isEmpty()
          ? scoped.runnableInformer(0)
          : scoped.withLabels(labels).runnableInformer(0);
    }
    if (!labels.isEmpty()) {
      throw new IllegalArgumentException("label-selected custom resource caches are not supported");
    }
    var generic =
        client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type));
    @SuppressWarnings("unchecked")
    var listerWatcher =
        (ListerWatcher<GenericKubernetesResource, GenericKubernetesResourceList>)
            (namespace == null ? generic.inAnyNamespace() : generic.inNamespace(namespace));
    return new DefaultSharedIndexInformer<>(
        type,
        new DecodingListerWatcher<>(
            type, listerWatcher, client.getKubernetesSerialization(), undecodable),
        0,
        dispatch);
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

  /** Ready: every informer has synced (and see {@link #allRunning()}). */
  public boolean allSynced() {
    return snapshot().stream().allMatch(InformerCache::hasSynced);
  }

  public synchronized List<InformerCache<?>> snapshot() {
    return new ArrayList<>(caches.values());
  }

  @Override
  public void close() {
    snapshot().forEach(InformerCache::stop);
    dispatch.shutdownNow();
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

  private record Key(Class<?> type, String namespace, Map<String, String> labels) {}
}
