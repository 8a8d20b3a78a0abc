package io.kanister.kopia.core.output;

import java.util.Optional;
import org.immutables.value.Value;

/** The top directory (or file) entry of a snapshot. */
@Value.Immutable
public interface RootEntry {

  String name();

  /** {@code d} for a directory, {@code f} for a file, {@code s} for a symlink. */
  String type();

  /** What {@code kopia restore} and {@code kopia snapshot verify} take, e.g. {@code k4844…}. */
  String objectId();

  /** Present for directories only. */
  Optional<DirectorySummary> summary();
}
