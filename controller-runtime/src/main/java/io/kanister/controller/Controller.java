package io.kanister.controller;

import io.kanister.controller.logging.ReconcileLogContext;
import io.kanister.controller.logging.ScrubbedException;
import io.kanister.controller.metrics.ReconcileMetrics;
import io.kanister.controller.metrics.ReconcileMetrics.Outcome;
import io.kanister.controller.queue.WorkQueue;
import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import io.kanister.controller.reconcile.TerminalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers that take requests from a {@link WorkQueue} and run the reconciler on them. Watches feed
 * the queue from the moment the controller is built; workers run only between {@link #start()} and
 * {@link #stop()} (i.e. while this process leads).
 */
public final class Controller {
  private static final long HALT_WAIT_MILLIS = 10_000;
  private static final long INTERRUPTED_WAIT_MILLIS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  private final String name;
  private final String kind;
  private final Reconciler<?> reconciler;
  private final int workers;
  private final WorkQueue<Request> queue;
  private final ReconcileMetrics metrics;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean halted;

  public Controller(
      String name,
      String kind,
      Reconciler<?> reconciler,
      int workers,
      WorkQueue<Request> queue,
      ReconcileMetrics metrics) {
    if (workers < 1) {
      throw new IllegalArgumentException("controller " + name + " needs at least one worker");
    }
    this.name = name;
    this.kind = kind;
    this.reconciler = reconciler;
    this.workers = workers;
    this.queue = queue;
    this.metrics = metrics;
  }

  public String name() {
    return name;
  }

  public WorkQueue<Request> queue() {
    return queue;
  }

  public void enqueue(Request request) {
    queue.add(request);
  }

  public synchronized void start() {
    if (!threads.isEmpty()) {
      return;
    }
    for (int i = 0; i < workers; i++) {
      var thread = new Thread(this::work, name + "-worker-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    LOG.info("controller {} started {} workers", name, workers);
  }

  /**
   * Clean shutdown: accept no new requests, let workers finish what is queued and in flight. A
   * controller that never started (a standby that never led) has nobody to drain its queue, so its
   * queue is only shut down.
   */
  public void stop() throws InterruptedException {
    boolean running;
    synchronized (this) {
      running = !threads.isEmpty();
    }
    if (running) {
      queue.shutDownWithDrain();
    } else {
      queue.shutDown();
    }
    joinWorkers();
  }

  /**
   * Bounded shutdown: accept no new requests and drop what is queued (the next leader lists
   * everything again), wait up to {@code timeout} for reconciles in flight, then interrupt them (a
   * reconcile should stop any child process it waits on) and wait briefly for their workers.
   *
   * @return whether every worker ended within the time
   */
  public boolean stopWithin(Duration timeout) throws InterruptedException {
    queue.shutDown();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      for (var thread : threads) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      boolean ended = threads.stream().noneMatch(Thread::isAlive);
      if (!ended) {
        halted = true;
        threads.forEach(Thread::interrupt);
        for (var thread : threads) {
          thread.join(INTERRUPTED_WAIT_MILLIS);
        }
        ended = threads.stream().noneMatch(Thread::isAlive);
        LOG.warn(
            "controller {}: reconciles still running after {}, interrupted them{}",
            name,
            timeout,
            ended ? "" : "; some did not end");
      }
      threads.clear();
      return ended;
    }
  }

  /**
   * Stops at once, without reconciling what is still queued: used when leadership is lost and
   * another process may already be reconciling the same objects. Waits for in-flight reconciles.
   */
  public void halt() throws InterruptedException {
    halt(Duration.ofMillis(HALT_WAIT_MILLIS));
  }

  /** {@link #halt()}, waiting at most {@code wait} for each interrupted reconcile. */
  public void halt(Duration wait) throws InterruptedException {
    halted = true;
    queue.shutDown();
    // In-flight reconciles are interrupted (a running child process is stopped) and waited for only
    // briefly: the new leader may already be reconciling the same objects.
    synchronized (this) {
      for (var thread : threads) {
        thread.interrupt();
      }
      for (var thread : threads) {
        thread.join(Math.max(1, wait.toMillis()));
      }
      threads.clear();
    }
  }

  private synchronized void joinWorkers() throws InterruptedException {
    for (var thread : threads) {
      thread.join();
    }
    threads.clear();
  }

  private void work() {
    try {
      while (true) {
        var next = queue.get();
        if (next.isEmpty()) {
          return;
        }
        var request = next.get();
        try {
          if (!halted) {
            process(request);
          }
        } catch (RuntimeException | Error e) {
          // A worker must survive anything a reconcile throws, or queued keys would never drain.
          LOG.error("reconcile of {} ended abnormally", request, ScrubbedException.of(e));
        } finally {
          queue.done(request);
        }
        if (!halted && Thread.interrupted()) {
          // An interrupt meant for one reconcile (a cancelled child process) must not end the
          // worker.
          LOG.debug("cleared a stray interrupt after {}", request);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One reconcile and what it means for the queue. Package-visible for the dispatch benchmark. */
  void process(Request request) {
    long start = System.nanoTime();
    try (var context = ReconcileLogContext.open(name, kind, request)) {
      Outcome outcome;
      try {
        Result result = reconciler.reconcile(request);
        if (result == null) {
          result = Result.done();
        }
        queue.forget(request);
        var after = result.requeueAfter();
        if (after.isPresent()) {
          queue.addAfter(request, after.get());
          outcome = Outcome.REQUEUE_AFTER;
        } else {
          outcome = Outcome.SUCCESS;
        }
        LOG.debug("reconciled {}: {}", context.resource(), result);
      } catch (TerminalException e) {
        queue.forget(request);
        outcome = Outcome.TERMINAL;
        LOG.error(
            "reconcile of {} failed and will not be retried: {}",
            context.resource(),
            ScrubbedException.describe(e),
            ScrubbedException.of(e));
      } catch (Exception e) {
        queue.addRateLimited(request);
        outcome = Outcome.ERROR;
        // Only the type and a scrubbed message: a library's message may quote a secret.
        LOG.warn(
            "reconcile of {} failed, retry {}: {}",
            context.resource(),
            queue.numRequeues(request),
            ScrubbedException.describe(e),
            ScrubbedException.of(e));
      }
      metrics.record(outcome, System.nanoTime() - start);
    }
  }
}
