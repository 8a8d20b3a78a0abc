package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.model.repository.Repository;
import java.util.Optional;

/**
 * Exclusion of maintenance runs across operator processes; {@link MaintenanceLeases} is the one the
 * operator uses.
 */
interface MaintenanceLock {
  /** The held lock, or who holds it instead. */
  record Attempt(Optional<Held> held, String otherHolder) {}

  /** A lock this process holds until it stops renewing it. */
  interface Held {
    /** false when it is no longer ours or could not be renewed. */
    boolean renew();

    void release();

    String name();
  }

  Attempt tryAcquire(Repository repository);
}
