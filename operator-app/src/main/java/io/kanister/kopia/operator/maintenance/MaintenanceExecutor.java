package io.kanister.kopia.operator.maintenance;

import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.command.MaintenanceCommands;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.model.repository.MaintenanceRunStatus;
import io.kanister.kopia.model.repository.Repository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs maintenance off the reconcile workers, in a small bounded pool: a reconcile pass only hands
 * a due run over and never waits for it.
 *
 * <p>At most one run per Repository: in this process by the in-flight map, across replicas and
 * failovers by the Repository's maintenance Lease ({@link MaintenanceLeases}), taken before kopia
 * starts and renewed while it runs. A run is cancelled (kopia stopped) when this process shuts
 * down, stops leading, or cannot renew the Lease for half its duration, so it has ended before
 * another replica may take the Lease over.
 */
public final class MaintenanceExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceExecutor.class);
  static final String SUCCEEDED = "Succeeded";
  static final String FAILED = "Failed";
  static final String CANCELLED = "Cancelled";
  private static final int QUEUE_PER_WORKER = 8;

  /** How handing a run over went. */
  enum Submission {
    STARTED,
    ALREADY_RUNNING,
    /** The pool's queue is full; the pass asks again later. */
    BUSY
  }

  /** A run in progress (or queued) in this process. */
  record Running(MaintenanceMode mode, Instant since) {}

  /** The Lease is held by someone else; don't ask again before {@code until}. */
  record Elsewhere(String holder, Instant until) {}

  /** The last quick and full run this process finished for a Repository. */
  record LastRuns(MaintenanceRunStatus quick, MaintenanceRunStatus full, Instant lastEnd) {}

  private final MaintenanceLock leases;
  private final MaintenanceOptions options;
  private final MaintenanceEvents events;
  private final MaintenanceMetrics metrics;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService renewer;
  private final Map<String, Run> inFlight = new ConcurrentHashMap<>();
  private final Map<String, LastRuns> finished = new ConcurrentHashMap<>();
  private final Map<String, Elsewhere> elsewhere = new ConcurrentHashMap<>();
  private volatile Consumer<Request> whenDone = r -> {};
  private volatile boolean closed;

  private static final class Run {
    final Running running;
    volatile Future<?> future;
    volatile String cancelReason;

    Run(Running running) {
      this.running = running;
    }

    void cancel(String reason) {
      cancelReason = reason;
      Future<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
    }
  }

  MaintenanceExecutor(
      MaintenanceLock leases,
      MaintenanceOptions options,
      MaintenanceEvents events,
      MaintenanceMetrics metrics,
      BooleanSupplier leading,
      Clock clock) {
    this.leases = leases;
    this.options = options;
    this.events = events;
    this.metrics = metrics;
    this.leading = leading;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            options.workers(),
            options.workers(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_PER_WORKER * options.workers()),
            r -> daemon(r, "maintenance-" + threads.incrementAndGet()));
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "maintenance-lease-renewer"));
  }

  /** Called with the Repository whenever a run ends, so a pass reports it. */
  void whenDone(Consumer<Request> whenDone) {
    this.whenDone = Objects.requireNonNull(whenDone);
  }

  Submission submit(Repository repository, Kopia kopia, MaintenanceMode mode) {
    String uid = uid(repository);
    Run run = new Run(new Running(mode, clock.instant()));
    if (closed) {
      return Submission.BUSY;
    }
    if (inFlight.putIfAbsent(uid, run) != null) {
      return Submission.ALREADY_RUNNING;
    }
    try {
      run.future = pool.submit(() -> execute(repository, kopia, run));
      return Submission.STARTED;
    } catch (RejectedExecutionException e) {
      inFlight.remove(uid, run);
      return Submission.BUSY;
    }
  }

  Optional<Running> running(String uid) {
    return Optional.ofNullable(inFlight.get(uid)).map(r -> r.running);
  }

  Optional<LastRuns> lastRuns(String uid) {
    return Optional.ofNullable(finished.get(uid));
  }

  /** Who else holds the Lease, while this process should not try again. */
  Optional<Elsewhere> heldElsewhere(String uid) {
    Elsewhere e = elsewhere.get(uid);
    if (e != null && !e.until().isAfter(clock.instant())) {
      elsewhere.remove(uid, e);
      return Optional.empty();
    }
    return Optional.ofNullable(e);
  }

  /**
   * Seeds this Repository's gauges from its status once per process (see {@link
   * MaintenanceMetrics#seed}).
   */
  void seedMetrics(Repository repository) {
    var recorded = repository.getStatus() == null ? null : repository.getStatus().getMaintenance();
    if (recorded == null) {
      return;
    }
    String namespace = repository.getMetadata().getNamespace();
    String name = repository.getMetadata().getName();
    metrics.seed(namespace, name, MaintenanceMode.QUICK, recorded.getLastQuick());
    metrics.seed(namespace, name, MaintenanceMode.FULL, recorded.getLastFull());
  }

  /** Stops a deleted Repository's run and drops its memory and metrics. */
  void forget(Repository repository) {
    String uid = uid(repository);
    Run run = inFlight.get(uid);
    if (run != null) {
      run.cancel("the Repository is being deleted");
    }
    finished.remove(uid);
    elsewhere.remove(uid);
    metrics.forget(repository.getMetadata().getNamespace(), repository.getMetadata().getName());
  }

  private void execute(Repository repository, Kopia kopia, Run run) {
    String uid = uid(repository);
    MaintenanceMode mode = run.running.mode();
    boolean ran = false;
    try {
      if (run.cancelReason != null || Thread.currentThread().isInterrupted()) {
        return;
      }
      MaintenanceLock.Attempt attempt = leases.tryAcquire(repository);
      if (attempt.held().isEmpty()) {
        LOG.info(
            "{} maintenance of {}: the Lease is held by {}; not starting",
            mode.label(),
            Request.of(repository),
            attempt.otherHolder());
        elsewhere.put(
            uid,
            new Elsewhere(attempt.otherHolder(), clock.instant().plus(options.leaseDuration())));
        return;
      }
      ran = true;
      runHoldingLease(repository, kopia, run, attempt.held().get());
    } catch (RuntimeException e) {
      // The Lease could not be read or written: nothing ran, the next pass tries again.
      LOG.warn(
          "{} maintenance of {} did not start: {}",
          mode.label(),
          Request.of(repository),
          e.getClass().getSimpleName());
    } finally {
      inFlight.remove(uid, run);
      if (ran) {
        whenDone.accept(Request.of(repository));
      }
    }
  }

  private void runHoldingLease(
      Repository repository, Kopia kopia, Run run, MaintenanceLock.Held lease) {
    MaintenanceMode mode = run.running.mode();
    Instant start = clock.instant();
    long period = Math.max(1000, options.leaseDuration().toMillis() / 4);
    long[] lastRenewal = {System.nanoTime()};
    ScheduledFuture<?> renewal =
        renewer.scheduleAtFixedRate(
            () -> {
              if (!leading.getAsBoolean()) {
                run.cancel("this operator replica stopped leading");
              } else if (lease.renew()) {
                lastRenewal[0] = System.nanoTime();
              } else if (System.nanoTime() - lastRenewal[0]
                  > options.leaseDuration().toNanos() / 2) {
                run.cancel("the maintenance Lease " + lease.name() + " could not be renewed");
              }
            },
            period,
            period,
            TimeUnit.MILLISECONDS);
    String result;
    String message;
    try {
      LOG.info("{} maintenance of {} started", mode.label(), Request.of(repository));
      kopia.run(command(mode));
      result = SUCCEEDED;
      message = mode.label() + " maintenance finished";
    } catch (KopiaCancelledException e) {
      result = CANCELLED;
      message =
          "cancelled: "
              + Objects.requireNonNullElse(run.cancelReason, "the operator is shutting down");
    } catch (KopiaException e) {
      result = FAILED;
      message =
          e.kind() == KopiaErrorKind.TIMEOUT
              ? e.getMessage() + "; raise --maintenance-timeout if the repository needs longer"
              : e.getMessage();
    } catch (RuntimeException e) {
      result = FAILED;
      message = e.getClass().getSimpleName();
    } finally {
      renewal.cancel(false);
      // The API calls below must not fail because the run was cancelled by an interrupt.
      Thread.interrupted();
      lease.release();
    }
    Instant end = clock.instant();
    record(
        repository,
        mode,
        new MaintenanceRunStatus(start.toString(), end.toString(), result, message),
        end);
    metrics.recordRun(
        repository.getMetadata().getNamespace(),
        repository.getMetadata().getName(),
        mode,
        result,
        end,
        Duration.between(start, end));
    LOG.info("{} maintenance of {}: {}", mode.label(), Request.of(repository), message);
    if (FAILED.equals(result)) {
      events.warning(
          repository, "MaintenanceFailed", mode.label() + " maintenance failed: " + message);
    }
  }

  private KopiaCommand command(MaintenanceMode mode) {
    return KopiaCommand.builder()
        .from(MaintenanceCommands.run(mode == MaintenanceMode.FULL, options.safety()))
        .timeout(options.timeout())
        .build();
  }

  private void record(
      Repository repository, MaintenanceMode mode, MaintenanceRunStatus status, Instant end) {
    finished.compute(
        uid(repository),
        (k, old) -> {
          MaintenanceRunStatus quick = old == null ? null : old.quick();
          MaintenanceRunStatus full = old == null ? null : old.full();
          return mode == MaintenanceMode.FULL
              ? new LastRuns(quick, status, end)
              : new LastRuns(status, full, end);
        });
  }

  /** Cancels every run (kopia is stopped) and waits, bounded, for their Leases to be released. */
  @Override
  public void close() {
    closed = true;
    inFlight.values().forEach(r -> r.cancel("the operator is shutting down"));
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("maintenance runs still stopping after 15s; their Leases expire on their own");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    renewer.shutdownNow();
  }

  static String uid(Repository repository) {
    return Objects.requireNonNullElse(repository.getMetadata().getUid(), "no-uid");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
