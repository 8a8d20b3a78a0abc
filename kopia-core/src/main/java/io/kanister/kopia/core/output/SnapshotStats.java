package io.kanister.kopia.core.output;

import org.immutables.value.Value;

/**
 * Upload statistics of a snapshot. Kopia drops them from {@code snapshot create --json} unless
 * {@code --json-verbose} is given, but keeps them in {@code snapshot list --json}.
 */
@Value.Immutable
public interface SnapshotStats {

  long totalSize();

  long fileCount();

  long dirCount();

  long cachedFiles();

  long nonCachedFiles();

  long errorCount();

  long ignoredErrorCount();
}
