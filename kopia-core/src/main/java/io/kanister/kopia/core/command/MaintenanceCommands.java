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
    return run(full, Safety.FULL);
  }

  /**
   * {@code maintenance run}, which only the owner may run (kopia refuses others without the unsafe
   * {@code --force}, which this never passes). {@link Safety#NONE} drops Kopia's safety margins: it
   * may delete data a concurrent writer still needs, so it is for tests only.
   */
  public static KopiaCommand run(boolean full, Safety safety) {
    List<String> args =
        new ArrayList<>(List.of("maintenance", "run", "--safety=" + safety.flagValue()));
    if (full) {
      args.add("--full");
    }
    return KopiaCommand.of(args);
  }

  /** Kopia's {@code --safety} levels. */
  public enum Safety {
    FULL("full"),
    NONE("none");

    private final String flagValue;

    Safety(String flagValue) {
      this.flagValue = flagValue;
    }

    public String flagValue() {
      return flagValue;
    }
  }
}
