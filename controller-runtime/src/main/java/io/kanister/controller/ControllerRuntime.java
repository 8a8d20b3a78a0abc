package io.kanister.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.health.HealthProbe;
import io.kanister.controller.leader.LeaderElection;
import io.kanister.controller.leader.LeaderElectionSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs controllers: shared informers (started at once, so a standby has warm caches), leader
 * election, and the controllers' workers while this process leads. Losing leadership stops the
 * workers and ends the process through the {@code onLeadershipLost} callback, because a process
 * that lost its Lease cannot know what its successor already did.
 */
public final class ControllerRuntime implements HealthProbe, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerRuntime.class);

  /** How long a lost leader waits for each interrupted reconcile before it exits regardless. */
  static final Duration FENCE_HALT_WAIT = Duration.ofMillis(300);

  private final KubernetesClient client;
  private final String watchNamespace;
  private final MeterRegistry meterRegistry;
  private final Runnable onLeadershipLost;
  private final Runnable fence;
  private final Duration cacheSyncWarning;
  private final Duration shutdownTimeout;
  private final SharedInformers informers;
  private final LeaderElection leaderElection;
  private final List<Controller> controllers = new ArrayList<>();
  private volatile boolean started;
  private volatile boolean leading;
  private volatile boolean closed;

  private ControllerRuntime(Builder builder) {
    this.client = builder.client;
    this.watchNamespace = builder.watchNamespace;
    this.meterRegistry = builder.meterRegistry;
    this.onLeadershipLost = builder.onLeadershipLost;
    this.fence = builder.fence;
    this.cacheSyncWarning = builder.cacheSyncWarning;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.informers = new SharedInformers(client, meterRegistry);
    if (builder.events != null) {
      informers.reportUndecodableTo(builder.events);
    }
    this.leaderElection =
        builder.leaderElection == null
            ? null
            : new LeaderElection(
                client, builder.leaderElection, this::startedLeading, this::lostLeadership);
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  public <R extends HasMetadata> ControllerBuilder<R> newController(Class<R> primary) {
    return new ControllerBuilder<>(this, primary);
  }

  /** The shared cache of {@code type} in the watched namespace (or all namespaces). */
  public <R extends HasMetadata> InformerCache<R> cache(Class<R> type) {
    return informers.cache(type, watchNamespace);
  }

  /** The namespace the primary caches watch; null for all namespaces. */
  public String watchNamespace() {
    return watchNamespace;
  }

  public SharedInformers informers() {
    return informers;
  }

  public KubernetesClient client() {
    return client;
  }

  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** Starts informers and leader election (or the controllers directly, without election). */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    informers.start();
    if (leaderElection == null) {
      startedLeading();
    } else {
      leaderElection.start();
    }
  }

  public boolean isLeader() {
    return leading;
  }

  @Override
  public boolean isLive() {
    return started && !closed && informers.allRunning();
  }

  /**
   * Ready: every informer has synced and is still running. An informer that stopped sees no more
   * changes, so this process would act on a frozen view; it must not look ready.
   */
  @Override
  public boolean isReady() {
    return started && !closed && informers.allSynced() && informers.allRunning();
  }

  /**
   * Bounded shutdown: the controllers drop their queues and get {@code shutdownTimeout} for the
   * reconciles in flight (then those are interrupted), the Lease is released, the informers stop.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    LOG.info("shutting down controllers (at most {} for reconciles in flight)", shutdownTimeout);
    leading = false;
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    for (var controller : controllersSnapshot()) {
      try {
        controller.stopWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (leaderElection != null) {
      leaderElection.close();
    }
    informers.close();
  }

  synchronized void register(Controller controller) {
    controllers.add(controller);
    if (leading) {
      startWhenSynced(List.of(controller));
    }
  }

  private void startedLeading() {
    leading = true;
    startWhenSynced(controllersSnapshot());
  }

  /** Off the election thread: waiting for caches must not delay renewing the Lease. */
  private void startWhenSynced(List<Controller> toStart) {
    var starter =
        new Thread(
            () -> {
              while (!closed && leading) {
                try {
                  informers.awaitSynced(cacheSyncWarning);
                  break;
                } catch (TimeoutException e) {
                  LOG.warn("caches not synced after {}, still waiting", cacheSyncWarning);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
              synchronized (this) {
                if (!closed && leading) {
                  toStart.forEach(Controller::start);
                }
              }
            },
            "controllers-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void lostLeadership() {
    leading = false;
    LOG.error(
        "lost leadership of lease {} as {}: stopping all reconcilers and exiting, so that a"
            + " restart rejoins the election",
        leaderElection.lease(),
        leaderElection.identity());
    // First what writes outside the reconcile threads (child processes, pools): a successor may
    // lead once the lease duration has passed, and this must be over long before.
    try {
      fence.run();
    } catch (RuntimeException e) {
      LOG.error("fencing after lost leadership failed: {}", e.getClass().getSimpleName());
    }
    for (var controller : controllersSnapshot()) {
      try {
        controller.halt(FENCE_HALT_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onLeadershipLost.run();
  }

  private synchronized List<Controller> controllersSnapshot() {
    return new ArrayList<>(controllers);
  }

  public static final class Builder {
    private final KubernetesClient client;
    private String watchNamespace;
    private MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private LeaderElectionSettings leaderElection;
    private Runnable onLeadershipLost = () -> System.exit(1);
    private Runnable fence = () -> {};
    private Duration cacheSyncWarning = Duration.ofSeconds(30);
    private EventRecorder events;
    private Duration shutdownTimeout = Duration.ofSeconds(5);

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    /** Watch one namespace only; by default every namespace is watched. */
    public Builder watchNamespace(String namespace) {
      this.watchNamespace = namespace;
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /** Run controllers only while holding this Lease; without it they run at once. */
    public Builder leaderElection(LeaderElectionSettings settings) {
      this.leaderElection = settings;
      return this;
    }

    /** What ends the process after leadership is lost; {@code System.exit(1)} by default. */
    public Builder onLeadershipLost(Runnable exit) {
      this.onLeadershipLost = exit;
      return this;
    }

    /**
     * Runs first when leadership is lost, before the reconcilers are halted and before {@link
     * #onLeadershipLost}: stops the writes that do not run on a reconcile thread (child processes,
     * worker pools). Must be quick; see {@link LeaderElection} for the time it has.
     */
    public Builder fenceOnLeadershipLost(Runnable fence) {
      this.fence = fence;
      return this;
    }

    /** Records a Warning Event on each object an informer skips as undecodable. */
    public Builder events(EventRecorder recorder) {
      this.events = recorder;
      return this;
    }

    /** How long {@link #close()} waits for reconciles in flight before interrupting them. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = timeout;
      return this;
    }

    public Builder cacheSyncWarning(Duration after) {
      this.cacheSyncWarning = after;
      return this;
    }

    public ControllerRuntime build() {
      return new ControllerRuntime(this);
    }
  }
}
