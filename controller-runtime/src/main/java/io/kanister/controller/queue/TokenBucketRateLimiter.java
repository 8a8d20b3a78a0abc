package io.kanister.controller.queue;

import java.time.Duration;

/**
 * One bucket shared by all keys: {@code qps} tokens a second, at most {@code burst} saved up. Like
 * Go's {@code rate.Limiter.Reserve}, a caller always gets a token and is told how long to wait for
 * it, so the bucket may go into debt.
 */
public final class TokenBucketRateLimiter<K> implements RateLimiter<K> {
  private final double qps;
  private final double burst;
  private final MonotonicClock clock;
  private double tokens;
  private long last;

  public TokenBucketRateLimiter(double qps, int burst, MonotonicClock clock) {
    if (qps <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "token bucket needs qps > 0 and burst >= 1, got " + qps + " and " + burst);
    }
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.nanoTime();
  }

  @Override
  public synchronized Duration when(K key) {
    long now = clock.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
    last = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
  }

  @Override
  public void forget(K key) {}

  @Override
  public int numRequeues(K key) {
    return 0;
  }
}
