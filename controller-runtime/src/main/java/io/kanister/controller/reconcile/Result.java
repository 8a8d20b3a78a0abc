package io.kanister.controller.reconcile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How a reconcile ended when it did not throw. */
public final class Result {
  private static final Result DONE = new Result(null);

  private final Duration requeueAfter;

  private Result(Duration requeueAfter) {
    this.requeueAfter = requeueAfter;
  }

  /** The object matches its desired state; run again only when something changes. */
  public static Result done() {
    return DONE;
  }

  /**
   * Run again after {@code delay} even if nothing changes, e.g. to poll an external system. This
   * wins over any failure backoff and resets it.
   */
  public static Result requeueAfter(Duration delay) {
    if (delay == null || delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("requeueAfter needs a positive delay, got " + delay);
    }
    return new Result(delay);
  }

  public Optional<Duration> requeueAfter() {
    return Optional.ofNullable(requeueAfter);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Result that && Objects.equals(requeueAfter, that.requeueAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(requeueAfter);
  }

  @Override
  public String toString() {
    return requeueAfter == null ? "done" : "requeueAfter(" + requeueAfter + ")";
  }
}
