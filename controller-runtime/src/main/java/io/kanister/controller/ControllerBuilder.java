package io.kanister.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kanister.controller.metrics.MicrometerQueueMetrics;
import io.kanister.controller.metrics.ReconcileMetrics;
import io.kanister.controller.queue.MonotonicClock;
import io.kanister.controller.queue.RateLimiter;
import io.kanister.controller.queue.WorkQueue;
import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.watch.ControllerOwnerMapper;
import io.kanister.controller.watch.EnqueueingHandler;
import io.kanister.controller.watch.EventPredicate;
import io.kanister.controller.watch.RequestMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Declares what a controller watches, Go controller-runtime style:
 *
 * <pre>{@code
 * runtime.newController(Repository.class)
 *     .withEventFilter(EventPredicate.generationChanged())
 *     .owns(Deployment.class)
 *     .watches(Pod.class, pod -> repositoriesServing(pod))
 *     .workers(2)
 *     .complete(new RepositoryReconciler(...));
 * }</pre>
 */
public final class ControllerBuilder<R extends HasMetadata> {
  private final ControllerRuntime runtime;
  private final Class<R> primary;
  private final List<Watch<?>> watches = new ArrayList<>();
  private String name;
  private EventPredicate<R> primaryFilter = EventPredicate.all();
  private int workers = 1;
  private RateLimiter<Request> rateLimiter;

  ControllerBuilder(ControllerRuntime runtime, Class<R> primary) {
    this.runtime = runtime;
    this.primary = primary;
    this.name = HasMetadata.getKind(primary).toLowerCase(Locale.ROOT);
  }

  /** Names the controller in metrics and logs; defaults to the primary kind in lower case. */
  public ControllerBuilder<R> named(String name) {
    this.name = name;
    return this;
  }

  /** Filters events of the primary type. */
  public ControllerBuilder<R> withEventFilter(EventPredicate<R> filter) {
    this.primaryFilter = filter;
    return this;
  }

  /** Reconciles the controller owner (of the primary type) when an owned object changes. */
  public <O extends HasMetadata> ControllerBuilder<R> owns(Class<O> owned) {
    return owns(owned, EventPredicate.all());
  }

  public <O extends HasMetadata> ControllerBuilder<R> owns(
      Class<O> owned, EventPredicate<O> filter) {
    watches.add(new Watch<>(owned, filter, new ControllerOwnerMapper<>(primary), false, Map.of()));
    return this;
  }

  /**
   * Like {@link #owns(Class)}, for the owned objects carrying all of {@code labels} only, selected
   * by the API server in the watched namespace: for a type of which the namespace holds many
   * objects that are not the controller's (ConfigMaps).
   */
  public <O extends HasMetadata> ControllerBuilder<R> owns(
      Class<O> owned, Map<String, String> labels) {
    watches.add(
        new Watch<>(
            owned, EventPredicate.all(), new ControllerOwnerMapper<>(primary), false, labels));
    return this;
  }

  /** Reconciles whatever {@code mapper} returns when an object of type {@code other} changes. */
  public <O extends HasMetadata> ControllerBuilder<R> watches(
      Class<O> other, RequestMapper<O> mapper) {
    return watches(other, mapper, EventPredicate.all());
  }

  public <O extends HasMetadata> ControllerBuilder<R> watches(
      Class<O> other, RequestMapper<O> mapper, EventPredicate<O> filter) {
    watches.add(new Watch<>(other, filter, mapper, false, Map.of()));
    return this;
  }

  /**
   * Like {@link #watches(Class, RequestMapper, EventPredicate)}, but in every namespace even when
   * the runtime watches one: for objects that live beside the workloads a primary serves.
   */
  public <O extends HasMetadata> ControllerBuilder<R> watchesAllNamespaces(
      Class<O> other, RequestMapper<O> mapper, EventPredicate<O> filter) {
    return watchesAllNamespaces(other, Map.of(), mapper, filter);
  }

  /**
   * Like {@link #watchesAllNamespaces(Class, RequestMapper, EventPredicate)}, for the objects
   * carrying all of {@code labels} only, selected by the API server; read the same objects through
   * {@code runtime.informers().cache(other, null, labels)}.
   */
  public <O extends HasMetadata> ControllerBuilder<R> watchesAllNamespaces(
      Class<O> other,
      Map<String, String> labels,
      RequestMapper<O> mapper,
      EventPredicate<O> filter) {
    watches.add(new Watch<>(other, filter, mapper, true, labels));
    return this;
  }

  /** How many requests are reconciled in parallel; one key never runs on two workers. */
  public ControllerBuilder<R> workers(int workers) {
    this.workers = workers;
    return this;
  }

  /** Replaces client-go's default (5ms..1000s per key, 10 qps / 100 burst overall). */
  public ControllerBuilder<R> rateLimiter(RateLimiter<Request> rateLimiter) {
    this.rateLimiter = rateLimiter;
    return this;
  }

  /** Builds the controller, wires its watches and registers it with the runtime. */
  public Controller complete(Reconciler<R> reconciler) {
    var registry = runtime.meterRegistry();
    var clock = MonotonicClock.system();
    var limiter = rateLimiter != null ? rateLimiter : RateLimiter.<Request>controllerDefault(clock);
    var queue = new WorkQueue<>(clock, limiter, new MicrometerQueueMetrics(registry, name));
    var controller =
        new Controller(
            name,
            HasMetadata.getKind(primary),
            reconciler,
            workers,
            queue,
            new ReconcileMetrics(registry, name));
    runtime
        .cache(primary)
        .addEventHandler(
            new EnqueueingHandler<R>(
                primaryFilter, r -> Set.of(Request.of(r)), controller::enqueue));
    watches.forEach(w -> w.wire(runtime, controller));
    runtime.register(controller);
    return controller;
  }

  private record Watch<O extends HasMetadata>(
      Class<O> type,
      EventPredicate<O> filter,
      RequestMapper<O> mapper,
      boolean allNamespaces,
      Map<String, String> labels) {
    void wire(ControllerRuntime runtime, Controller controller) {
      var cache =
          allNamespaces
              ? runtime.informers().cache(type, null, labels)
              : runtime.informers().cache(type, runtime.watchNamespace(), labels);
      cache.addEventHandler(new EnqueueingHandler<>(filter, mapper, controller::enqueue));
    }
  }
}
