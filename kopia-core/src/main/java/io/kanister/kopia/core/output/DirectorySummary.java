package io.kanister.kopia.core.output;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Recursive totals of a snapshotted directory (Go {@code fs.DirectorySummary}, key {@code summ}).
 */
@Value.Immutable
public interface DirectorySummary {

  long size();

  long files();

  long dirs();

  long symlinks();

  /** Newest modification time found under the directory. */
  Optional<Instant> maxTime();

  /** Why the directory was not fully read, e.g. {@code checkpoint}; empty when complete. */
  Optional<String> incompleteReason();

  long numFailed();

  long numIgnoredErrors();

  List<EntryError> errors();
}
