package io.kanister.kopia.core.output;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** What {@code kopia maintenance info --json} reports. */
@Value.Immutable
public interface MaintenanceInfo {

  /**
   * The {@code user@host} allowed to run maintenance; empty when nobody owns it. Kopia skips
   * automatic maintenance on every other client.
   */
  Optional<String> owner();

  MaintenanceCycle quick();

  MaintenanceCycle full();

  Optional<Instant> nextQuickMaintenance();

  Optional<Instant> nextFullMaintenance();

  /** Recent runs by task name (e.g. {@code snapshot-gc}), oldest first as Kopia lists them. */
  Map<String, List<MaintenanceRun>> runs();

  static MaintenanceInfo parse(String json) {
    return MaintenanceInfoParser.parse(json);
  }
}
