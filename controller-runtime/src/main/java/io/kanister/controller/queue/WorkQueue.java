package io.kanister.controller.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rate limited, delaying work queue with client-go's contract ({@code util/workqueue/doc.go}).
 *
 * <ul>
 *   <li>Stingy: a key that is already pending is not added twice.
 *   <li>Single flight: a key taken by {@link #get()} is not handed out again before {@link
 *       #done(Object)}; if it is added meanwhile it becomes ready again at {@code done}.
 *   <li>Delayed adds keep the earliest deadline of a key.
 *   <li>{@link #addRateLimited(Object)} delays by the {@link RateLimiter}; {@link #forget(Object)}
 *       clears a key's failures.
 *   <li>After {@link #shutDown()} adds are ignored, {@code get} hands out what is still ready and
 *       then returns empty; {@link #shutDownWithDrain()} also waits for keys being processed.
 * </ul>
 *
 * <p>Delayed keys are moved to the ready queue by whichever call observes that their deadline
 * passed, so no timer thread is needed and a fake {@link MonotonicClock} makes the queue fully
 * deterministic through {@link #poll()}.
 */
public final class WorkQueue<K> {
  private final MonotonicClock clock;
  private final RateLimiter<K> rateLimiter;
  private final QueueMetrics metrics;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<K> ready = new ArrayDeque<>();
  private final Map<K, Long> readySince = new HashMap<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Map<K, Long> deadlines = new HashMap<>();
  private final PriorityQueue<Delayed<K>> delayed = new PriorityQueue<>();
  private long sequence;
  private boolean shuttingDown;

  public WorkQueue(MonotonicClock clock, RateLimiter<K> rateLimiter, QueueMetrics metrics) {
    this.clock = clock;
    this.rateLimiter = rateLimiter;
    this.metrics = metrics;
  }

  /** A queue with client-go's default controller rate limiter on the system clock. */
  public static <K> WorkQueue<K> withDefaults(QueueMetrics metrics) {
    var clock = MonotonicClock.system();
    return new WorkQueue<>(clock, RateLimiter.controllerDefault(clock), metrics);
  }

  public void add(K key) {
    lock.lock();
    try {
      promoteDue();
      addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code key} once {@code delay} has passed; an earlier pending deadline wins. */
  public void addAfter(K key, Duration delay) {
    lock.lock();
    try {
      if (shuttingDown) {
        return;
      }
      promoteDue();
      if (delay.isZero() || delay.isNegative()) {
        addLocked(key);
        return;
      }
      long deadline = clock.nanoTime() + delay.toNanos();
      Long current = deadlines.get(key);
      if (current != null && current - deadline <= 0) {
        return;
      }
      deadlines.put(key, deadline);
      delayed.add(new Delayed<>(deadline, sequence++, key));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code key} after the delay its rate limiter decides; counts as a retry. */
  public void addRateLimited(K key) {
    var wait = rateLimiter.when(key);
    metrics.retried();
    addAfter(key, wait);
  }

  public void forget(K key) {
    rateLimiter.forget(key);
  }

  public int numRequeues(K key) {
    return rateLimiter.numRequeues(key);
  }

  /**
   * Blocks until a key is ready and takes it, or returns empty once the queue is shut down and
   * nothing is ready.
   */
  public Optional<K> get() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        promoteDue();
        if (!ready.isEmpty()) {
          return Optional.of(take());
        }
        if (shuttingDown) {
          return Optional.empty();
        }
        Delayed<K> next = delayed.peek();
        if (next == null) {
          changed.await();
        } else {
          changed.await(Math.max(1, next.deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes a ready key without waiting. */
  public Optional<K> poll() {
    lock.lock();
    try {
      promoteDue();
      return ready.isEmpty() ? Optional.empty() : Optional.of(take());
    } finally {
      lock.unlock();
    }
  }

  /** Marks {@code key} processed; if it was added meanwhile it becomes ready again. */
  public void done(K key) {
    lock.lock();
    try {
      processing.remove(key);
      if (dirty.contains(key)) {
        enqueue(key);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Keys ready to be taken, after moving those whose delay passed. */
  public int len() {
    lock.lock();
    try {
      promoteDue();
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  /** Keys waiting for a delay; they are dropped on shut down. */
  public int delayedLen() {
    lock.lock();
    try {
      promoteDue();
      return deadlines.size();
    } finally {
      lock.unlock();
    }
  }

  public boolean isShuttingDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting keys and wakes waiting workers; ready keys are still handed out. */
  public void shutDown() {
    lock.lock();
    try {
      shuttingDown = true;
      deadlines.clear();
      delayed.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Shuts down, then waits until every ready and in-flight key has been processed. */
  public void shutDownWithDrain() throws InterruptedException {
    lock.lock();
    try {
      shutDown();
      while (!processing.isEmpty() || !ready.isEmpty()) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(K key) {
    if (shuttingDown || !dirty.add(key)) {
      return;
    }
    if (processing.contains(key)) {
      return;
    }
    enqueue(key);
  }

  private void enqueue(K key) {
    ready.addLast(key);
    readySince.put(key, clock.nanoTime());
    metrics.added();
    metrics.depth(ready.size());
    changed.signalAll();
  }

  private K take() {
    K key = ready.pollFirst();
    processing.add(key);
    dirty.remove(key);
    metrics.taken(clock.nanoTime() - readySince.remove(key));
    metrics.depth(ready.size());
    return key;
  }

  private void promoteDue() {
    long now = clock.nanoTime();
    while (!delayed.isEmpty() && delayed.peek().deadline - now <= 0) {
      Delayed<K> due = delayed.poll();
      Long deadline = deadlines.get(due.key);
      // An entry superseded by an earlier deadline for the same key is stale.
      if (deadline != null && deadline == due.deadline) {
        deadlines.remove(due.key);
        addLocked(due.key);
      }
    }
  }

  private record Delayed<K>(long deadline, long sequence, K key) implements Comparable<Delayed<K>> {
    @Override
    public int compareTo(Delayed<K> other) {
      int byTime = Long.compare(deadline - other.deadline, 0);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
