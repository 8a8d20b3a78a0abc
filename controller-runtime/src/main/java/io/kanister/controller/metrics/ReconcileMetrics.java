package io.kanister.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Reconcile metrics of one controller: {@code controller_reconcile_total{controller,result}},
 * {@code controller_reconcile_errors_total{controller,kind}} and {@code
 * controller_reconcile_duration_seconds{controller}}.
 */
public final class ReconcileMetrics {
  /** How a reconcile ended, as the {@code result} tag. */
  public enum Outcome {
    SUCCESS("success"),
    REQUEUE_AFTER("requeue_after"),
    ERROR("error"),
    TERMINAL("terminal");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final MeterRegistry registry;
  private final String controller;
  private final Timer duration;

  public ReconcileMetrics(MeterRegistry registry, String controller) {
    this.registry = registry;
    this.controller = controller;
    this.duration =
        Timer.builder("controller.reconcile.duration")
            .description("Time spent in reconcile")
            .tag("controller", controller)
            // Buckets, as Go controller-runtime's reconcile_time_seconds: a p99 can be computed.
            .publishPercentileHistogram()
            .register(registry);
    // At zero from the start, so that alerts on their rate see a series before the first error.
    for (String kind : new String[] {"retriable", "terminal"}) {
      errors(kind);
    }
  }

  private Counter errors(String kind) {
    return Counter.builder("controller.reconcile.errors")
        .description("Failed reconciles; terminal ones are not retried")
        .tag("controller", controller)
        .tag("kind", kind)
        .register(registry);
  }

  public void record(Outcome outcome, long nanos) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
    Counter.builder("controller.reconcile")
        .description("Reconciles by result")
        .tag("controller", controller)
        .tag("result", outcome.tag())
        .register(registry)
        .increment();
    if (outcome == Outcome.ERROR || outcome == Outcome.TERMINAL) {
      errors(outcome == Outcome.TERMINAL ? "terminal" : "retriable").increment();
    }
  }

  public double count(Outcome outcome) {
    var counter =
        registry
            .find("controller.reconcile")
            .tag("controller", controller)
            .tag("result", outcome.tag())
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
