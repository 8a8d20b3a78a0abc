package io.kanister.controller;

import io.kanister.controller.metrics.MicrometerQueueMetrics;
import io.kanister.controller.metrics.ReconcileMetrics;
import io.kanister.controller.queue.QueueMetrics;
import io.kanister.controller.queue.WorkQueue;
import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import io.kanister.controller.widget.Widget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints work queue throughput and per reconcile dispatch overhead. A main, not a test: the figures
 * depend on the machine and are never asserted. Run after {@code test-compile}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.kanister.controller.QueueBenchmark
 * </pre>
 */
public final class QueueBenchmark {
  private static final int KEYS = 10_000;
  private static final int ROUNDS = 200;

  public static void main(String[] args) throws Exception {
    var keys = new ArrayList<Request>(KEYS);
    for (int i = 0; i < KEYS; i++) {
      keys.add(new Request("ns", "object-" + i));
    }
    // Warm up the JIT on every path before measuring.
    for (int i = 0; i < 20; i++) {
      addsAndGets(keys, QueueMetrics.NONE, false);
      dispatch(keys, false);
      workers(keys, 1, false);
    }
    addsAndGets(keys, QueueMetrics.NONE, true);
    addsAndGets(keys, new MicrometerQueueMetrics(new SimpleMeterRegistry(), "bench"), true);
    dispatch(keys, true);
    workers(keys, 1, true);
    workers(keys, 4, true);
  }

  /** Single thread: add 10,000 distinct keys, add them again (deduplicated), take them all. */
  private static void addsAndGets(List<Request> keys, QueueMetrics metrics, boolean print) {
    long addNanos = 0;
    long dupNanos = 0;
    long getNanos = 0;
    for (int round = 0; round < ROUNDS; round++) {
      var queue = WorkQueue.<Request>withDefaults(metrics);
      long t0 = System.nanoTime();
      for (var key : keys) {
        queue.add(key);
      }
      long t1 = System.nanoTime();
      for (var key : keys) {
        queue.add(key);
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < KEYS; i++) {
        queue.done(queue.poll().orElseThrow());
      }
      long t3 = System.nanoTime();
      addNanos += t1 - t0;
      dupNanos += t2 - t1;
      getNanos += t3 - t2;
    }
    if (print) {
      long ops = (long) KEYS * ROUNDS;
      System.out.printf(
          "queue (%s metrics), %d keys x %d rounds: adds %,.0f/s, duplicate adds %,.0f/s,"
              + " get+done %,.0f/s%n",
          metrics == QueueMetrics.NONE ? "no" : "Micrometer",
          KEYS,
          ROUNDS,
          ops / (addNanos / 1e9),
          ops / (dupNanos / 1e9),
          ops / (getNanos / 1e9));
    }
  }

  /**
   * What the controller adds around a reconcile that does nothing: MDC context, forget, metrics
   * (timer + counter), debug logging check.
   */
  private static void dispatch(List<Request> keys, boolean print) {
    var registry = new SimpleMeterRegistry();
    var queue = WorkQueue.<Request>withDefaults(new MicrometerQueueMetrics(registry, "bench"));
    Reconciler<Widget> noop = request -> Result.done();
    var controller =
        new Controller("bench", "Widget", noop, 1, queue, new ReconcileMetrics(registry, "bench"));
    long start = System.nanoTime();
    for (int round = 0; round < ROUNDS / 10; round++) {
      for (var key : keys) {
        controller.process(key);
      }
    }
    long nanos = System.nanoTime() - start;
    if (print) {
      System.out.printf(
          "dispatch overhead per reconcile (no-op reconciler, MDC + metrics): %.2f us%n",
          nanos / 1e3 / ((long) KEYS * (ROUNDS / 10)));
    }
  }

  /** End to end through worker threads: enqueue 10,000 keys, wait until all are reconciled. */
  private static void workers(List<Request> keys, int workers, boolean print) throws Exception {
    var registry = new SimpleMeterRegistry();
    var queue = WorkQueue.<Request>withDefaults(new MicrometerQueueMetrics(registry, "bench"));
    var remaining = new CountDownLatch(KEYS);
    var count = new AtomicInteger();
    Reconciler<Widget> counting =
        request -> {
          count.incrementAndGet();
          remaining.countDown();
          return Result.done();
        };
    var controller =
        new Controller(
            "bench", "Widget", counting, workers, queue, new ReconcileMetrics(registry, "bench"));
    controller.start();
    long start = System.nanoTime();
    for (var key : keys) {
      controller.enqueue(key);
    }
    remaining.await();
    long nanos = System.nanoTime() - start;
    controller.stop();
    if (print) {
      System.out.printf(
          "controller with %d worker(s), %d keys: %,.0f reconciles/s, %.2f us per reconcile%n",
          workers, KEYS, count.get() / (nanos / 1e9), nanos / 1e3 / count.get());
    }
  }
}
