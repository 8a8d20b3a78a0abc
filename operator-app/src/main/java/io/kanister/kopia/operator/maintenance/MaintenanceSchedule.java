package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.core.output.MaintenanceInfo;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduling decisions, without side effects: who may run maintenance, and which run is due.
 * Kopia's own schedule (stored in the repository, so it survives restarts and failovers) says when
 * a run is next due; Kopia moves it forward as soon as a run starts.
 */
final class MaintenanceSchedule {
  private MaintenanceSchedule() {}

  enum Ownership {
    /** The operator's identity owns maintenance. */
    OWNED,
    /** Nobody owns it, or the Repository asks to take it over: the operator claims it. */
    CLAIM,
    /** Another client owns it; reported, never taken over silently. */
    FOREIGN
  }

  static Ownership ownership(MaintenanceSettings settings, Optional<String> owner, String self) {
    if (owner.filter(o -> !o.isBlank()).isEmpty()) {
      return Ownership.CLAIM;
    }
    if (owner.get().equals(self)) {
      return Ownership.OWNED;
    }
    return settings.takeOver() ? Ownership.CLAIM : Ownership.FOREIGN;
  }

  /** Whether Kopia's stored intervals differ from the settings, so {@code maintenance set}. */
  static boolean intervalsDiffer(MaintenanceSettings settings, MaintenanceInfo info) {
    return !info.quick().interval().equals(settings.quickInterval())
        || !info.full().interval().equals(settings.fullInterval());
  }

  /**
   * The run due at {@code now}: full when the full one is due (it includes the quick tasks), else
   * quick; none when disabled. A schedule Kopia never wrote (year 1) is due at once.
   */
  static Optional<MaintenanceMode> due(
      MaintenanceSettings settings, MaintenanceInfo info, Instant now) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    if (!info.nextFullMaintenance().orElse(Instant.EPOCH).isAfter(now)) {
      return Optional.of(MaintenanceMode.FULL);
    }
    if (!info.nextQuickMaintenance().orElse(Instant.EPOCH).isAfter(now)) {
      return Optional.of(MaintenanceMode.QUICK);
    }
    return Optional.empty();
  }

  /** When the next run falls due, for the requeue. */
  static Optional<Instant> nextDue(MaintenanceInfo info) {
    Optional<Instant> quick = info.nextQuickMaintenance();
    Optional<Instant> full = info.nextFullMaintenance();
    if (quick.isEmpty()) {
      return full;
    }
    if (full.isEmpty()) {
      return quick;
    }
    return Optional.of(quick.get().isBefore(full.get()) ? quick.get() : full.get());
  }
}
