package io.kanister.controller.queue;

/** What a {@link WorkQueue} reports; implemented over Micrometer in the metrics package. */
public interface QueueMetrics {
  QueueMetrics NONE = new QueueMetrics() {};

  /** A key became ready (was not already pending). */
  default void added() {}

  /** A worker took a key that had waited {@code waitNanos} in the ready queue. */
  default void taken(long waitNanos) {}

  /** A key was handed to the rate limiter after a failure. */
  default void retried() {}

  /** Keys ready and not yet taken, reported after every change. */
  default void depth(int ready) {}
}
