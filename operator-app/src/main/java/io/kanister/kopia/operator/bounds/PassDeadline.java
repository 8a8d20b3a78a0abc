package io.kanister.kopia.operator.bounds;

import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import io.kanister.kopia.model.repository.Repository;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each reconcile pass of a Repository a deadline. When it passes, the kopia the pass's thread
 * runs or waits for is stopped (an interrupt, while inside the runner only); every kopia it starts
 * after fails at once with a timeout naming the deadline ({@link BoundedKopiaRunner}), which the
 * reconciler puts on the Repository's condition. The Repository also gets a Warning Event {@value
 * #REASON}, and the pass ends in an exception so the work queue retries it with backoff.
 */
public final class PassDeadline implements Reconciler<Repository>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PassDeadline.class);

  public static final String REASON = "PassDeadlineExceeded";

  private final Reconciler<Repository> delegate;
  private final BoundedKopiaRunner kopia;
  private final Duration deadline;
  private final InformerCache<Repository> repositories;
  private final EventRecorder events;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            var thread = new Thread(task, "pass-deadline");
            thread.setDaemon(true);
            return thread;
          });

  /** Thrown after a pass ran out of time, for the work queue's backoff; names no value. */
  public static final class ExceededException extends Exception {
    ExceededException(Request request, Duration deadline) {
      super(
          "reconcile pass of Repository "
              + request.namespace()
              + "/"
              + request.name()
              + " ran longer than --pass-deadline="
              + describe(deadline)
              + " and was cancelled",
          null,
          false,
          false);
    }
  }

  public PassDeadline(
      Reconciler<Repository> delegate,
      BoundedKopiaRunner kopia,
      Duration deadline,
      InformerCache<Repository> repositories,
      EventRecorder events) {
    this.delegate = delegate;
    this.kopia = kopia;
    this.deadline = deadline;
    this.repositories = repositories;
    this.events = events;
  }

  @Override
  public Result reconcile(Request request) throws Exception {
    Thread worker = Thread.currentThread();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> timer =
        timers.schedule(
            () -> {
              expired.set(true);
              kopia.expire(worker, deadline);
            },
            deadline.toNanos(),
            TimeUnit.NANOSECONDS);
    Result result;
    try {
      result = delegate.reconcile(request);
    } catch (Exception e) {
      if (!expired.get()) {
        throw e;
      }
      // A cut pass usually ends in the reconciler's transient failure: report the cut instead.
      result = null;
    } finally {
      timer.cancel(false);
      kopia.clearExpired(worker);
    }
    if (!expired.get()) {
      return result;
    }
    String message =
        "the reconcile pass ran longer than --pass-deadline="
            + describe(deadline)
            + "; its kopia was stopped and the pass is retried with backoff. Check the storage's"
            + " reachability and speed (RepositoryReady) or raise --pass-deadline";
    LOG.warn("Repository {}/{}: {}", request.namespace(), request.name(), message);
    repositories
        .get(request)
        .ifPresent(
            repository -> {
              try {
                events.warning(repository, REASON, message);
              } catch (RuntimeException e) {
                LOG.debug("could not record {} on {}", REASON, request);
              }
            });
    throw new ExceededException(request, deadline);
  }

  static String describe(Duration deadline) {
    return io.kanister.kopia.core.duration.GoDuration.format(deadline);
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
