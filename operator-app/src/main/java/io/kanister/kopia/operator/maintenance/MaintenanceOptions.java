package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.core.command.MaintenanceCommands.Safety;
import java.time.Duration;

/**
 * How the operator runs maintenance, from its flags.
 *
 * @param timeout how long one {@code maintenance run} may take; not the 5-minute command timeout
 * @param safety Kopia's {@code --safety}; {@link Safety#NONE} is for tests only
 * @param workers how many repositories run maintenance at once
 * @param leaseDuration how long a run's Lease protects it after its last renewal
 */
public record MaintenanceOptions(
    Duration timeout, Safety safety, int workers, Duration leaseDuration) {
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(60);

  public MaintenanceOptions {
    if (workers < 1) {
      throw new IllegalArgumentException("maintenance workers must be at least 1");
    }
    if (leaseDuration.compareTo(Duration.ofSeconds(4)) < 0) {
      throw new IllegalArgumentException("the maintenance Lease must last at least 4s");
    }
  }

  /** The flags' defaults: 6 hours, full safety, one run at a time. */
  public static MaintenanceOptions defaults() {
    return new MaintenanceOptions(Duration.ofHours(6), Safety.FULL, 1, DEFAULT_LEASE_DURATION);
  }
}
