package io.kanister.kopia.core.command;

import io.kanister.kopia.core.duration.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code kopia maintenance ...}; maintenance needs a direct (not server) connection. */
public final class MaintenanceCommands {
  private MaintenanceCommands() {}

  public static KopiaCommand info() {
    return KopiaCommand.of(List.of("maintenance", "info", "--json"));
  }

  /**
   * Sets the maintenance owner ({@code user@host}) and optionally the quick and full intervals.
   * Only the owner runs automatic maintenance, so the operator claims it for its own identity.
   */
  public static KopiaCommand set(
      Optional<String> owner, Optional<Duration> quickInterval, Optional<Duration> fullInterval) {
    List<String> args = new ArrayList<>(List.of("maintenance", "set"));
    owner.ifPresent(o -> args.add("--owner=" + o));
    quickInterval.ifPresent(d -> args.add("--quick-interval=" + GoDuration.format(d)));
    fullInterval.ifPresent(d -> args.add("--full-interval=" + GoDuration.format(d)));
    if (args.size() == 2) {
      throw new IllegalArgumentException("maintenance set needs at least one setting");
    }
    return KopiaCommand.of(args);
  }

  public static KopiaCommand run(boolean full) {
    List<String> args = new ArrayList<>(List.of("maintenance", "run", "--safety=full"));
    if (full) {
      args.add("--full");
    }
    return KopiaCommand.of(args);
  }
}
