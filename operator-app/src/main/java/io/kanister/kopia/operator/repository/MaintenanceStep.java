package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.maintenance.MaintenanceReport;
import io.kanister.kopia.operator.maintenance.RepositoryMaintenance;

/**
 * Step 2b: maintenance (package maintenance), once the Kopia repository is connected. It never
 * blocks on a run and never fails the pass: its trouble goes into {@code MaintenanceHealthy}.
 */
final class MaintenanceStep {
  private final RepositoryMaintenance maintenance;

  MaintenanceStep(RepositoryMaintenance maintenance) {
    this.maintenance = maintenance;
  }

  /**
   * @param seen this pass's manifest digests: while the maintenance parameters' manifest is the one
   *     last read, Kopia's schedule is known without {@code maintenance info}
   */
  void run(
      Repository repository,
      Kopia kopia,
      java.util.Optional<ManifestDigests> seen,
      RepositoryConditions status) {
    ClientIdentity self = KopiaRepositorySync.identity(repository);
    MaintenanceReport report =
        maintenance.check(
            repository,
            kopia,
            self.username() + "@" + self.hostname(),
            seen.map(ManifestDigests::maintenance));
    report.condition().ifPresent(c -> apply(c, status));
    status.maintenance(report.status());
    report.requeueAfter().ifPresent(status::requeueNoLaterThan);
  }

  private static void apply(Condition c, RepositoryConditions status) {
    if (Condition.UNKNOWN.equals(c.getStatus())) {
      status.unknown(c.getType(), c.getReason(), c.getMessage());
    } else {
      status.set(c.getType(), Condition.TRUE.equals(c.getStatus()), c.getReason(), c.getMessage());
    }
  }
}
