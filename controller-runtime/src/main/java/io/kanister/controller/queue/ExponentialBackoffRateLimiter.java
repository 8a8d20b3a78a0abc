package io.kanister.controller.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Per key backoff of {@code base * 2^failures}, capped at {@code max}. */
public final class ExponentialBackoffRateLimiter<K> implements RateLimiter<K> {
  private final Duration base;
  private final Duration max;
  private final Map<K, Integer> failures = new HashMap<>();

  public ExponentialBackoffRateLimiter(Duration base, Duration max) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < base <= max, got base " + base + " and max " + max);
    }
    this.base = base;
    this.max = max;
  }

  @Override
  public synchronized Duration when(K key) {
    int exponent = failures.merge(key, 1, Integer::sum) - 1;
    // Computed in floating point so that a large exponent saturates at the cap instead of
    // overflowing.
    double nanos = base.toNanos() * Math.pow(2, exponent);
    if (nanos >= max.toNanos()) {
      return max;
    }
    return Duration.ofNanos((long) nanos);
  }

  @Override
  public synchronized void forget(K key) {
    failures.remove(key);
  }

  @Override
  public synchronized int numRequeues(K key) {
    return failures.getOrDefault(key, 0);
  }
}
