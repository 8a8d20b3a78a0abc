package io.kanister.controller.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kanister.controller.reconcile.Request;
import java.util.function.Consumer;

/**
 * Informer events to requests: filtered by a predicate, mapped, and handed to the queue. An update
 * enqueues what both versions map to, so a change of owner or label reaches the old and the new
 * primary.
 */
public final class EnqueueingHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
  private final EventPredicate<T> predicate;
  private final RequestMapper<T> mapper;
  private final Consumer<Request> enqueue;

  public EnqueueingHandler(
      EventPredicate<T> predicate, RequestMapper<T> mapper, Consumer<Request> enqueue) {
    this.predicate = predicate;
    this.mapper = mapper;
    this.enqueue = enqueue;
  }

  @Override
  public void onAdd(T object) {
    if (predicate.onCreate(object)) {
      mapper.map(object).forEach(enqueue);
    }
  }

  @Override
  public void onUpdate(T previous, T current) {
    if (predicate.onUpdate(previous, current)) {
      mapper.map(previous).forEach(enqueue);
      mapper.map(current).forEach(enqueue);
    }
  }

  @Override
  public void onDelete(T object, boolean finalStateUnknown) {
    if (predicate.onDelete(object)) {
      mapper.map(object).forEach(enqueue);
    }
  }
}
