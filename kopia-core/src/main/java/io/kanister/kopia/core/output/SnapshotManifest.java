package io.kanister.kopia.core.output;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** One snapshot, as printed by {@code kopia snapshot create|list --json}. */
@Value.Immutable
public interface SnapshotManifest {

  /** The manifest ID, used by {@code kopia snapshot delete}. */
  String id();

  SnapshotSource source();

  Optional<String> description();

  Instant startTime();

  Instant endTime();

  Optional<SnapshotStats> stats();

  RootEntry rootEntry();

  /** Why the snapshot is incomplete (e.g. {@code checkpoint}); empty when it is complete. */
  Optional<String> incompleteReason();

  @Value.Derived
  default boolean incomplete() {
    return incompleteReason().isPresent();
  }

  /** Retention rules keeping the snapshot, e.g. {@code latest-1}; only in list output. */
  List<String> retentionReasons();

  Map<String, String> tags();

  /** Parses {@code snapshot create --json}: one manifest object per line, one line per source. */
  static List<SnapshotManifest> parseCreateOutput(String stdout) {
    return SnapshotManifestParser.parseLines(stdout);
  }

  /** Parses {@code snapshot list --json}: a JSON array of manifests. */
  static List<SnapshotManifest> parseListOutput(String stdout) {
    return SnapshotManifestParser.parseArray(stdout);
  }
}
