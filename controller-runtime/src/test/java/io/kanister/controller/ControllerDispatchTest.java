package io.kanister.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.controller.metrics.ReconcileMetrics;
import io.kanister.controller.metrics.ReconcileMetrics.Outcome;
import io.kanister.controller.queue.ManualClock;
import io.kanister.controller.queue.QueueMetrics;
import io.kanister.controller.queue.RateLimiter;
import io.kanister.controller.queue.WorkQueue;
import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import io.kanister.controller.reconcile.TerminalException;
import io.kanister.controller.widget.Widget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What a reconcile's outcome does to the queue, with a fake clock. */
class ControllerDispatchTest {
  private static final Request KEY = new Request("ns", "a");
  private final ManualClock clock = new ManualClock();
  private final WorkQueue<Request> queue =
      new WorkQueue<>(clock, RateLimiter.controllerDefault(clock), QueueMetrics.NONE);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ReconcileMetrics metrics = new ReconcileMetrics(registry, "widget");
  private final Deque<Object> script = new ArrayDeque<>();
  private final AtomicReference<String> loggedResource = new AtomicReference<>();
  private final Reconciler<Widget> reconciler =
      request -> {
        loggedResource.set(MDC.get("resource"));
        var next = script.pop();
        if (next instanceof Exception e) {
          throw e;
        }
        return (Result) next;
      };
  private final Controller controller =
      new Controller("widget", "Widget", reconciler, 1, queue, metrics);

  @Test
  void aFailureIsRetriedWithGrowingBackoff() {
    script.add(new IllegalStateException("storage unreachable"));
    script.add(new IllegalStateException("storage unreachable"));

    runOnce();
    assertThat(queue.numRequeues(KEY)).isEqualTo(1);
    clock.advance(Duration.ofMillis(5));
    runOnce();
    assertThat(queue.numRequeues(KEY)).isEqualTo(2);
    clock.advance(Duration.ofMillis(9));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.poll()).contains(KEY);
    assertThat(metrics.count(Outcome.ERROR)).isEqualTo(2);
    assertThat(
            registry
                .counter("controller.reconcile.errors", "controller", "widget", "kind", "retriable")
                .count())
        .isEqualTo(2);
  }

  @Test
  void successForgetsTheFailures() {
    script.add(new IllegalStateException("once"));
    script.add(Result.done());

    runOnce();
    clock.advance(Duration.ofMillis(5));
    runOnce();

    assertThat(queue.numRequeues(KEY)).isZero();
    clock.advance(Duration.ofHours(1));
    assertThat(queue.poll()).isEmpty();
    assertThat(metrics.count(Outcome.SUCCESS)).isEqualTo(1);
  }

  @Test
  void aTerminalErrorIsCountedAndNeverRetried() {
    script.add(new TerminalException("spec.size must not be negative"));

    runOnce();

    clock.advance(Duration.ofHours(1));
    assertThat(queue.poll()).isEmpty();
    assertThat(queue.numRequeues(KEY)).isZero();
    assertThat(metrics.count(Outcome.TERMINAL)).isEqualTo(1);
    assertThat(
            registry
                .counter("controller.reconcile.errors", "controller", "widget", "kind", "terminal")
                .count())
        .isEqualTo(1);
  }

  @Test
  void requeueAfterWinsOverTheBackoffAndResetsIt() {
    for (int i = 0; i < 10; i++) {
      script.add(new IllegalStateException("flaky"));
    }
    script.add(Result.requeueAfter(Duration.ofSeconds(30)));
    for (int i = 0; i < 10; i++) {
      runOnce();
      clock.advance(Duration.ofSeconds(10));
    }
    runOnce();

    assertThat(queue.numRequeues(KEY)).isZero();
    clock.advance(Duration.ofSeconds(29));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.poll()).contains(KEY);
    assertThat(metrics.count(Outcome.REQUEUE_AFTER)).isEqualTo(1);
  }

  @Test
  void theLogContextNamesTheResourceDuringTheReconcileOnly() {
    script.add(Result.done());

    runOnce();

    assertThat(loggedResource.get()).isEqualTo("Widget(ns/a)");
    assertThat(MDC.get("resource")).isNull();
  }

  @Test
  void workersProcessEveryKeyAndStopDrains() throws Exception {
    var seen = ConcurrentHashMap.<Request>newKeySet();
    var realQueue = WorkQueue.<Request>withDefaults(QueueMetrics.NONE);
    Reconciler<Widget> recording =
        request -> {
          seen.add(request);
          return Result.done();
        };
    var workers = new Controller("widget", "Widget", recording, 4, realQueue, metrics);
    workers.start();
    for (int i = 0; i < 100; i++) {
      workers.enqueue(new Request("ns", "w" + i));
    }

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 100);
    workers.stop();

    assertThat(realQueue.isShuttingDown()).isTrue();
    assertThat(seen).contains(new Request("ns", "w0"), new Request("ns", "w99"));
    assertThat(Set.copyOf(seen)).hasSize(100);
  }

  @Test
  void stopWithinDropsTheQueueAndInterruptsAReconcileThatDoesNotEnd() throws Exception {
    var started = new java.util.concurrent.CountDownLatch(1);
    var interrupted = new java.util.concurrent.atomic.AtomicBoolean();
    var seen = ConcurrentHashMap.<Request>newKeySet();
    var realQueue = WorkQueue.<Request>withDefaults(QueueMetrics.NONE);
    Reconciler<Widget> stuck =
        request -> {
          seen.add(request);
          started.countDown();
          try {
            Thread.sleep(Duration.ofMinutes(10).toMillis());
          } catch (InterruptedException e) {
            interrupted.set(true);
            throw e;
          }
          return Result.done();
        };
    var workers = new Controller("widget", "Widget", stuck, 1, realQueue, metrics);
    workers.start();
    workers.enqueue(new Request("ns", "first"));
    started.await();
    workers.enqueue(new Request("ns", "queued"));

    long start = System.nanoTime();
    assertThat(workers.stopWithin(Duration.ofMillis(200))).isTrue();
    System.out.printf(
        "[figures] stopWithin(200ms) with a stuck reconcile: %d ms%n",
        (System.nanoTime() - start) / 1_000_000);

    assertThat(interrupted).isTrue();
    assertThat(seen).containsExactly(new Request("ns", "first"));
  }

  @Test
  void aControllerThatNeverStartedStopsWithoutDraining() throws Exception {
    controller.enqueue(KEY);

    controller.stop();

    assertThat(queue.isShuttingDown()).isTrue();
    assertThat(loggedResource.get()).as("nothing was reconciled").isNull();
  }

  @Test
  void aFailureIsLoggedWithItsTypeButNeverAQuotedValue() {
    String secret = "pass-word-from-a-secret";
    script.add(
        new IllegalStateException(
            "wrapped",
            new IllegalArgumentException(
                "Invalid environment variable value: \"" + secret + "\"")));
    script.add(new TerminalException("token '" + secret + "' is bad"));
    var captured =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    var logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Controller.class);
    captured.start();
    logger.addAppender(captured);
    try {
      runOnce();
      clock.advance(Duration.ofMillis(5));
      runOnce();
    } finally {
      logger.detachAppender(captured);
    }

    assertThat(captured.list).hasSize(2);
    for (var event : captured.list) {
      StringBuilder text = new StringBuilder(event.getFormattedMessage());
      for (var proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
        text.append('\n').append(proxy.getClassName()).append(": ").append(proxy.getMessage());
        assertThat(proxy.getStackTraceElementProxyArray()).isNotEmpty();
      }
      assertThat(text.toString()).doesNotContain(secret).contains("<redacted>");
    }
    assertThat(captured.list.get(0).getFormattedMessage())
        .contains("java.lang.IllegalStateException: wrapped");
    assertThat(captured.list.get(0).getThrowableProxy().getCause().getMessage())
        .contains("java.lang.IllegalArgumentException: Invalid environment variable value");
  }

  @Test
  void aSafeMessageIsLoggedAsItIs() {
    class Shown extends Exception implements io.kanister.controller.logging.SafeMessage {
      Shown() {
        super("storage at 'bucket-a' unreachable");
      }
    }
    assertThat(io.kanister.controller.logging.ScrubbedException.describe(new Shown()))
        .endsWith(": storage at 'bucket-a' unreachable");
    assertThat(
            io.kanister.controller.logging.ScrubbedException.describe(
                new IllegalStateException("storage at 'bucket-a' unreachable\nnext \"line\"")))
        .isEqualTo(
            "java.lang.IllegalStateException: storage at '<redacted>' unreachable next"
                + " \"<redacted>\"");
  }

  private void runOnce() {
    if (queue.len() == 0 && queue.delayedLen() == 0) {
      queue.add(KEY);
    }
    var key = queue.poll().orElseThrow();
    try {
      controller.process(key);
    } finally {
      queue.done(key);
    }
  }
}
