package io.kanister.controller.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * The Lease to compete for and its timing. {@code leaseDuration > renewDeadline > retryPeriod}, as
 * in client-go; a stopped leader that releases the Lease hands over within one retry period, a
 * crashed one within the lease duration.
 */
public record LeaderElectionSettings(
    String leaseNamespace,
    String leaseName,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {
  public LeaderElectionSettings {
    Objects.requireNonNull(leaseNamespace, "leaseNamespace");
    Objects.requireNonNull(leaseName, "leaseName");
    Objects.requireNonNull(identity, "identity");
    if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
      throw new IllegalArgumentException(
          "leader election needs leaseDuration > renewDeadline > retryPeriod, got "
              + leaseDuration
              + ", "
              + renewDeadline
              + ", "
              + retryPeriod);
    }
  }

  /** client-go's defaults: 15s lease, 10s renew deadline, 2s retry period. */
  public static LeaderElectionSettings defaults(
      String leaseNamespace, String leaseName, String identity) {
    return new LeaderElectionSettings(
        leaseNamespace,
        leaseName,
        identity,
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2));
  }
}
