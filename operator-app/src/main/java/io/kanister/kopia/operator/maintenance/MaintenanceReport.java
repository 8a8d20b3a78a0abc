package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.model.repository.MaintenanceStatus;
import io.kanister.kopia.model.status.Condition;
import java.time.Duration;
import java.util.Optional;

/**
 * What one pass's maintenance check reports: the {@code MaintenanceHealthy} condition (absent: keep
 * the one written before), {@code status.maintenance}, and when the next pass should look again.
 */
public record MaintenanceReport(
    Optional<Condition> condition, MaintenanceStatus status, Optional<Duration> requeueAfter) {}
