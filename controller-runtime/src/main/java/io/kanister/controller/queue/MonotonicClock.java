package io.kanister.controller.queue;

/**
 * The time source of the queue and its rate limiters; injectable so that tests control time instead
 * of sleeping.
 */
@FunctionalInterface
public interface MonotonicClock {
  /** Nanoseconds from an arbitrary origin, like {@link System#nanoTime()}. */
  long nanoTime();

  static MonotonicClock system() {
    return System::nanoTime;
  }
}
