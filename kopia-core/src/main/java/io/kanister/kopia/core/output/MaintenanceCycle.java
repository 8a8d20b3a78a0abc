package io.kanister.kopia.core.output;

import java.time.Duration;
import org.immutables.value.Value;

/** Whether quick or full maintenance is enabled, and how often it runs. */
@Value.Immutable
public interface MaintenanceCycle {

  boolean enabled();

  Duration interval();
}
