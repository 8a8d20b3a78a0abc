package io.kanister.kopia.core.output;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/** One recorded run of a maintenance task. */
@Value.Immutable
public interface MaintenanceRun {

  Instant start();

  Instant end();

  boolean success();

  Optional<String> error();
}
