package io.kanister.controller.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final ManualClock clock = new ManualClock();
  private final CountingMetrics metrics = new CountingMetrics();
  private final WorkQueue<String> queue =
      new WorkQueue<>(clock, RateLimiter.controllerDefault(clock), metrics);

  @Test
  void pendingKeysAreDeduplicated() {
    queue.add("a");
    queue.add("b");
    queue.add("a");

    assertThat(queue.len()).isEqualTo(2);
    assertThat(queue.poll()).contains("a");
    assertThat(queue.poll()).contains("b");
    assertThat(queue.poll()).isEmpty();
    assertThat(metrics.added.get()).isEqualTo(2);
  }

  @Test
  void keepsInsertionOrderAcrossKeys() {
    queue.add("c");
    queue.add("a");
    queue.add("b");

    assertThat(queue.poll()).contains("c");
    assertThat(queue.poll()).contains("a");
    assertThat(queue.poll()).contains("b");
  }

  @Test
  void aKeyBeingProcessedIsNotHandedOutAgain() {
    queue.add("a");
    assertThat(queue.poll()).contains("a");

    queue.add("a");

    assertThat(queue.len()).isZero();
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void aKeyAddedWhileProcessingRunsAgainAfterDone() {
    queue.add("a");
    assertThat(queue.poll()).contains("a");
    queue.add("a");
    queue.add("a");

    queue.done("a");

    assertThat(queue.poll()).contains("a");
    queue.done("a");
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void aKeyNotAddedWhileProcessingDoesNotReturn() {
    queue.add("a");
    assertThat(queue.poll()).contains("a");

    queue.done("a");

    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void singleFlightHoldsWithConcurrentWorkers() throws Exception {
    var realQueue = WorkQueue.<String>withDefaults(QueueMetrics.NONE);
    var inFlight = new AtomicInteger();
    var overlaps = new AtomicInteger();
    var processed = new AtomicInteger();
    var workers = new Thread[8];
    for (int i = 0; i < workers.length; i++) {
      workers[i] =
          new Thread(
              () -> {
                try {
                  Optional<String> key;
                  while ((key = realQueue.get()).isPresent()) {
                    if (inFlight.incrementAndGet() > 1) {
                      overlaps.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    inFlight.decrementAndGet();
                    processed.incrementAndGet();
                    realQueue.done(key.get());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      workers[i].start();
    }
    for (int i = 0; i < 20_000; i++) {
      realQueue.add("same");
    }
    realQueue.shutDownWithDrain();
    for (var worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    }

    assertThat(overlaps).hasValue(0);
    assertThat(processed.get()).isPositive();
  }

  @Test
  void backoffGrowsExponentiallyFromFiveMillis() {
    var limiter =
        new ExponentialBackoffRateLimiter<String>(Duration.ofMillis(5), Duration.ofSeconds(1000));

    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(20));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(40));
    assertThat(limiter.when("b")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.numRequeues("a")).isEqualTo(4);
  }

  @Test
  void backoffIsCappedAndNeverOverflows() {
    var limiter =
        new ExponentialBackoffRateLimiter<String>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    for (int i = 0; i < 17; i++) {
      limiter.when("a");
    }
    // 5ms * 2^17 = 655s, 2^18 would be 1310s
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(655_360));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofSeconds(1000));
    for (int i = 0; i < 2000; i++) {
      limiter.when("a");
    }
    assertThat(limiter.when("a")).isEqualTo(Duration.ofSeconds(1000));
  }

  @Test
  void rateLimitedKeyBecomesReadyAfterItsBackoff() {
    queue.addRateLimited("a");
    assertThat(queue.poll()).isEmpty();

    clock.advance(Duration.ofMillis(4));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.poll()).contains("a");
    queue.done("a");

    queue.addRateLimited("a");
    clock.advance(Duration.ofMillis(9));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.poll()).contains("a");
    assertThat(queue.numRequeues("a")).isEqualTo(2);
    assertThat(metrics.retried.get()).isEqualTo(2);
  }

  @Test
  void forgetResetsTheBackoff() {
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    assertThat(queue.numRequeues("a")).isEqualTo(3);

    queue.forget("a");

    assertThat(queue.numRequeues("a")).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.poll()).contains("a");
    queue.done("a");
    queue.addRateLimited("a");
    clock.advance(Duration.ofMillis(5));
    assertThat(queue.poll()).contains("a");
  }

  @Test
  void delayedAddKeepsTheEarliestDeadline() {
    queue.addAfter("a", Duration.ofSeconds(10));
    queue.addAfter("a", Duration.ofSeconds(2));
    queue.addAfter("a", Duration.ofSeconds(5));
    assertThat(queue.delayedLen()).isEqualTo(1);

    clock.advance(Duration.ofMillis(1999));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.poll()).contains("a");
    queue.done("a");

    clock.advance(Duration.ofSeconds(60));
    assertThat(queue.poll()).isEmpty();
    assertThat(queue.delayedLen()).isZero();
  }

  @Test
  void delayedKeysBecomeReadyInDeadlineOrder() {
    queue.addAfter("late", Duration.ofSeconds(3));
    queue.addAfter("early", Duration.ofSeconds(1));
    queue.addAfter("middle", Duration.ofSeconds(2));

    clock.advance(Duration.ofSeconds(3));

    assertThat(queue.poll()).contains("early");
    assertThat(queue.poll()).contains("middle");
    assertThat(queue.poll()).contains("late");
  }

  @Test
  void aDelayedKeyThatIsAlreadyPendingIsNotDuplicated() {
    queue.add("a");
    queue.addAfter("a", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));

    assertThat(queue.poll()).contains("a");
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void zeroDelayAddsImmediately() {
    queue.addAfter("a", Duration.ZERO);

    assertThat(queue.poll()).contains("a");
  }

  @Test
  void tokenBucketAllowsTheBurstThenPacesAtQps() {
    var bucket = new TokenBucketRateLimiter<String>(10, 100, clock);
    for (int i = 0; i < 100; i++) {
      assertThat(bucket.when("k" + i)).isZero();
    }

    assertThat(bucket.when("x")).isEqualTo(Duration.ofMillis(100));
    assertThat(bucket.when("y")).isEqualTo(Duration.ofMillis(200));

    clock.advance(Duration.ofSeconds(1));
    // 10 tokens refilled, 2 were owed.
    for (int i = 0; i < 8; i++) {
      assertThat(bucket.when("z" + i)).isZero();
    }
    assertThat(bucket.when("over")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void tokenBucketRefillsOnlyUpToTheBurst() {
    var bucket = new TokenBucketRateLimiter<String>(10, 100, clock);
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 100; i++) {
      assertThat(bucket.when("k" + i)).isZero();
    }
    assertThat(bucket.when("over")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void defaultLimiterDelaysFreshKeysByTheBucketOnceTheBurstIsSpent() {
    for (int i = 0; i < 100; i++) {
      queue.addRateLimited("k" + i);
    }
    clock.advance(Duration.ofMillis(5));
    assertThat(queue.len()).isEqualTo(100);

    // The bucket, not the 5ms per key backoff, now decides.
    queue.addRateLimited("fresh");
    clock.advance(Duration.ofMillis(50));
    assertThat(queue.len()).isEqualTo(100);
    clock.advance(Duration.ofMillis(50));
    assertThat(queue.len()).isEqualTo(101);
  }

  @Test
  void shutDownIgnoresNewKeysAndStillHandsOutReadyOnes() throws Exception {
    queue.add("a");
    queue.addAfter("later", Duration.ofSeconds(1));

    queue.shutDown();
    queue.add("b");
    clock.advance(Duration.ofSeconds(2));

    assertThat(queue.get()).contains("a");
    assertThat(queue.get()).isEmpty();
    assertThat(queue.isShuttingDown()).isTrue();
  }

  @Test
  void getWakesUpOnShutDown() throws Exception {
    var result = CompletableFuture.supplyAsync(this::takeQuietly);
    Thread.sleep(20);

    queue.shutDown();

    assertThat(result.get(30, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void shutDownWithDrainWaitsForInFlightAndReadyKeys() throws Exception {
    queue.add("in-flight");
    queue.add("pending");
    assertThat(queue.poll()).contains("in-flight");
    queue.add("in-flight");

    var drained = new CountDownLatch(1);
    var drainer =
        new Thread(
            () -> {
              try {
                queue.shutDownWithDrain();
                drained.countDown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    drainer.start();
    assertThat(drained.await(100, TimeUnit.MILLISECONDS)).isFalse();

    queue.done("in-flight");
    assertThat(queue.poll()).contains("pending");
    queue.done("pending");
    assertThat(drained.getCount()).isEqualTo(1);
    // Dirty while in flight, so it runs once more before the drain completes.
    assertThat(queue.poll()).contains("in-flight");
    queue.done("in-flight");

    assertThat(drained.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void reportsDepthAndWaitTime() {
    queue.add("a");
    queue.add("b");
    assertThat(metrics.depth.get()).isEqualTo(2);

    clock.advance(Duration.ofMillis(7));
    queue.poll();

    assertThat(metrics.lastWaitNanos.get()).isEqualTo(Duration.ofMillis(7).toNanos());
    assertThat(metrics.depth.get()).isEqualTo(1);
  }

  private Optional<String> takeQuietly() {
    try {
      return queue.get();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class CountingMetrics implements QueueMetrics {
    final AtomicInteger added = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger depth = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong lastWaitNanos =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void added() {
      added.incrementAndGet();
    }

    @Override
    public void taken(long waitNanos) {
      lastWaitNanos.set(waitNanos);
    }

    @Override
    public void retried() {
      retried.incrementAndGet();
    }

    @Override
    public void depth(int ready) {
      depth.set(ready);
    }
  }
}
