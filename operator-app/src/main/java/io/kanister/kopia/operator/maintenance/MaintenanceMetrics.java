package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.model.repository.MaintenanceRunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Per Repository and mode, on the operator's /metrics:
 *
 * <ul>
 *   <li>{@code kopia_maintenance_last_success_timestamp_seconds}: when the last successful run
 *       ended (Unix time), for alerts such as "no full maintenance for 3 days";
 *   <li>{@code kopia_maintenance_last_duration_seconds}: how long the last run took, whatever its
 *       result;
 *   <li>{@code kopia_maintenance_runs_total{result}}: runs by result (succeeded, failed,
 *       cancelled).
 * </ul>
 */
final class MaintenanceMetrics {
  private final MeterRegistry registry;
  private final Map<String, Figures> figures = new ConcurrentHashMap<>();

  /** The gauges' current values and every meter registered for one Repository. */
  private record Figures(
      AtomicReference<Double> lastSuccess,
      AtomicReference<Double> lastDuration,
      List<Meter> meters) {}

  MaintenanceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void recordRun(
      String namespace,
      String repository,
      MaintenanceMode mode,
      String result,
      Instant end,
      Duration took) {
    // Not "namespace": Prometheus adds that label for the scraped pod (the operator's namespace).
    Tags tags =
        Tags.of("repository_namespace", namespace, "repository", repository, "mode", mode.label());
    Figures f = figures.computeIfAbsent(key(namespace, repository, mode), k -> register(tags));
    f.lastDuration().set(took.toMillis() / 1000.0);
    if ("Succeeded".equals(result)) {
      f.lastSuccess().set(end.toEpochMilli() / 1000.0);
    }
    Counter counter =
        Counter.builder("kopia.maintenance.runs")
            .description("Maintenance runs the operator finished, by result")
            .tags(tags.and("result", result.toLowerCase(java.util.Locale.ROOT)))
            .register(registry);
    counter.increment();
    synchronized (f.meters()) {
      if (!f.meters().contains(counter)) {
        f.meters().add(counter);
      }
    }
  }

  /**
   * After an operator restart (or a failover), the gauges start from the last runs status recorded,
   * so an alert on the last success time does not fire, or go blind, until the next run. Only a
   * series not yet known is seeded: what this process measured itself wins.
   */
  void seed(String namespace, String repository, MaintenanceMode mode, MaintenanceRunStatus last) {
    if (last == null || last.getStart() == null || last.getEnd() == null) {
      return;
    }
    Instant start;
    Instant end;
    try {
      start = Instant.parse(last.getStart());
      end = Instant.parse(last.getEnd());
    } catch (java.time.format.DateTimeParseException e) {
      return; // edited by hand: the next run sets the figures
    }
    Tags tags =
        Tags.of("repository_namespace", namespace, "repository", repository, "mode", mode.label());
    figures.computeIfAbsent(
        key(namespace, repository, mode),
        k -> {
          Figures f = register(tags);
          f.lastDuration().set(Duration.between(start, end).toMillis() / 1000.0);
          if ("Succeeded".equals(last.getResult())) {
            f.lastSuccess().set(end.toEpochMilli() / 1000.0);
          }
          return f;
        });
  }

  /** Removes a deleted Repository's series. */
  void forget(String namespace, String repository) {
    for (MaintenanceMode mode : MaintenanceMode.values()) {
      Figures f = figures.remove(key(namespace, repository, mode));
      if (f != null) {
        synchronized (f.meters()) {
          f.meters().forEach(registry::remove);
        }
      }
    }
  }

  private Figures register(Tags tags) {
    AtomicReference<Double> lastSuccess = new AtomicReference<>(Double.NaN);
    AtomicReference<Double> lastDuration = new AtomicReference<>(Double.NaN);
    List<Meter> meters = new java.util.ArrayList<>();
    meters.add(
        Gauge.builder("kopia.maintenance.last.success.timestamp", lastSuccess, AtomicReference::get)
            .description("When the last successful maintenance run ended (Unix time)")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder("kopia.maintenance.last.duration", lastDuration, AtomicReference::get)
            .description("How long the last maintenance run took")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
    return new Figures(lastSuccess, lastDuration, meters);
  }

  private static String key(String namespace, String repository, MaintenanceMode mode) {
    return namespace + "/" + repository + "/" + mode.label();
  }
}
