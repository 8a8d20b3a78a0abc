package io.kanister.kopia.core.output;

import org.immutables.value.Value;

/** The {@code user@host:path} a snapshot was taken of. */
@Value.Immutable
public interface SnapshotSource {

  String host();

  String userName();

  String path();
}
