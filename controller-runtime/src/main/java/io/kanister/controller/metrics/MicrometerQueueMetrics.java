package io.kanister.controller.metrics;

import io.kanister.controller.queue.QueueMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Work queue metrics named after client-go's ({@code workqueue_*}), tagged by queue name. */
public final class MicrometerQueueMetrics implements QueueMetrics {
  private final AtomicInteger depth = new AtomicInteger();
  private final Counter adds;
  private final Counter retries;
  private final Timer wait;

  public MicrometerQueueMetrics(MeterRegistry registry, String queueName) {
    Gauge.builder("workqueue.depth", depth, AtomicInteger::get)
        .description("Keys ready and waiting for a worker")
        .tag("name", queueName)
        .register(registry);
    adds =
        Counter.builder("workqueue.adds")
            .description("Keys made ready")
            .tag("name", queueName)
            .register(registry);
    retries =
        Counter.builder("workqueue.retries")
            .description("Keys re-added through the rate limiter after a failure")
            .tag("name", queueName)
            .register(registry);
    wait =
        Timer.builder("workqueue.queue.duration")
            .description("How long a key waited in the ready queue before a worker took it")
            .tag("name", queueName)
            .register(registry);
  }

  @Override
  public void added() {
    adds.increment();
  }

  @Override
  public void taken(long waitNanos) {
    wait.record(waitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retried() {
    retries.increment();
  }

  @Override
  public void depth(int ready) {
    depth.set(ready);
  }
}
