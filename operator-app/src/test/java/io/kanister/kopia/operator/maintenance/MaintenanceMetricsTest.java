package io.kanister.kopia.operator.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.model.repository.MaintenanceRunStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The maintenance gauges after an operator restart: seeded from status, never over a run. */
class MaintenanceMetricsTest {
  private static final Instant START = Instant.parse("2026-11-30T02:00:00Z");
  private static final Instant END = START.plusSeconds(95);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MaintenanceMetrics metrics = new MaintenanceMetrics(registry);

  @Test
  void aRestartedOperatorReportsTheLastRunsOfStatus() {
    metrics.seed("kopia", "repo", MaintenanceMode.FULL, run("Succeeded"));
    metrics.seed("kopia", "repo", MaintenanceMode.QUICK, run("Failed"));

    assertThat(gauge("kopia.maintenance.last.success.timestamp", "full"))
        .isEqualTo(END.getEpochSecond());
    assertThat(gauge("kopia.maintenance.last.duration", "full")).isEqualTo(95.0);
    assertThat(gauge("kopia.maintenance.last.duration", "quick")).isEqualTo(95.0);
    assertThat(gauge("kopia.maintenance.last.success.timestamp", "quick"))
        .as("a failed last run says nothing of the last success")
        .isNaN();
  }

  @Test
  void whatThisProcessMeasuredWinsOverStatus() {
    Instant later = END.plus(Duration.ofHours(24));
    metrics.recordRun(
        "kopia", "repo", MaintenanceMode.FULL, "Succeeded", later, Duration.ofSeconds(7));
    metrics.seed("kopia", "repo", MaintenanceMode.FULL, run("Succeeded"));

    assertThat(gauge("kopia.maintenance.last.success.timestamp", "full"))
        .isEqualTo(later.getEpochSecond());
    assertThat(gauge("kopia.maintenance.last.duration", "full")).isEqualTo(7.0);
  }

  @Test
  void nothingRecordedOrUnreadableSeedsNothing() {
    metrics.seed("kopia", "repo", MaintenanceMode.FULL, null);
    metrics.seed(
        "kopia",
        "repo",
        MaintenanceMode.QUICK,
        new MaintenanceRunStatus("yesterday", "today", "Succeeded", "edited"));

    assertThat(registry.getMeters()).isEmpty();
  }

  private static MaintenanceRunStatus run(String result) {
    return new MaintenanceRunStatus(START.toString(), END.toString(), result, "maintenance ran");
  }

  private double gauge(String name, String mode) {
    return registry.get(name).tag("repository", "repo").tag("mode", mode).gauge().value();
  }
}
