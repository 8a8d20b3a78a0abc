package io.kanister.controller.queue;

import java.time.Duration;
import java.util.List;

/** Asks every limiter and waits for the longest answer. */
public final class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private final List<RateLimiter<K>> limiters;

  @SafeVarargs
  public MaxOfRateLimiter(RateLimiter<K>... limiters) {
    this.limiters = List.of(limiters);
  }

  @Override
  public Duration when(K key) {
    var longest = Duration.ZERO;
    for (var limiter : limiters) {
      var wait = limiter.when(key);
      if (wait.compareTo(longest) > 0) {
        longest = wait;
      }
    }
    return longest;
  }

  @Override
  public void forget(K key) {
    limiters.forEach(l -> l.forget(key));
  }

  @Override
  public int numRequeues(K key) {
    return limiters.stream().mapToInt(l -> l.numRequeues(key)).max().orElse(0);
  }
}
