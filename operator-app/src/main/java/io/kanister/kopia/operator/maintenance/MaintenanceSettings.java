package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.core.duration.GoDuration;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.repository.MaintenanceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Repository's {@code spec.maintenance} with the defaults filled in, or what is wrong with it.
 */
public record MaintenanceSettings(
    boolean enabled, Duration quickInterval, Duration fullInterval, boolean takeOver) {
  public static final Duration DEFAULT_QUICK = Duration.ofHours(1);
  public static final Duration DEFAULT_FULL = Duration.ofHours(24);
  static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  /** The settings, or the problems that keep them from being used (each names its field). */
  public record Parsed(Optional<MaintenanceSettings> settings, List<String> problems) {}

  public static Parsed of(MaintenanceSpec spec) {
    if (spec == null) {
      return new Parsed(
          Optional.of(new MaintenanceSettings(true, DEFAULT_QUICK, DEFAULT_FULL, false)),
          List.of());
    }
    List<String> problems = new ArrayList<>();
    Duration quick = interval("quickInterval", spec.getQuickInterval(), DEFAULT_QUICK, problems);
    Duration full = interval("fullInterval", spec.getFullInterval(), DEFAULT_FULL, problems);
    if (!problems.isEmpty()) {
      return new Parsed(Optional.empty(), problems);
    }
    return new Parsed(
        Optional.of(
            new MaintenanceSettings(
                !Boolean.FALSE.equals(spec.getEnabled()),
                quick,
                full,
                Boolean.TRUE.equals(spec.getTakeOver()))),
        List.of());
  }

  private static Duration interval(
      String field, String text, Duration fallback, List<String> problems) {
    if (text == null) {
      return fallback;
    }
    if (!text.strip().matches(RepositoryPolicySpec.DURATION)) {
      problems.add(
          "spec.maintenance."
              + field
              + " must be a duration such as 1h, 30m or 1h30m; got '"
              + text
              + "'");
      return fallback;
    }
    Duration d = GoDuration.parse(text.strip());
    if (d.compareTo(MIN_INTERVAL) < 0) {
      problems.add("spec.maintenance." + field + " must be at least 1m; got '" + text + "'");
    }
    return d;
  }
}
