package io.kanister.controller.queue;

import java.time.Duration;

/**
 * Decides how long a key waits before it is retried (client-go's {@code RateLimiter}).
 *
 * @param <K> the queue key
 */
public interface RateLimiter<K> {
  /** How long {@code key} waits now; records one more failure for it. */
  Duration when(K key);

  /** Clears the failure history of {@code key}, typically after it succeeded. */
  void forget(K key);

  /** How many times {@code key} has been retried since it was last forgotten. */
  int numRequeues(K key);

  /**
   * client-go's default controller rate limiter: per key {@code 5ms * 2^n} capped at 1000s, and a
   * global bucket of 10 qps with a burst of 100; a key waits for the longer of the two.
   */
  static <K> RateLimiter<K> controllerDefault(MonotonicClock clock) {
    return new MaxOfRateLimiter<>(
        new ExponentialBackoffRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000)),
        new TokenBucketRateLimiter<>(10, 100, clock));
  }
}
