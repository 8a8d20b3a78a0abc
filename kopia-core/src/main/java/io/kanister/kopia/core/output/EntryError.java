package io.kanister.kopia.core.output;

import org.immutables.value.Value;

/** One file or directory Kopia failed to read while taking a snapshot. */
@Value.Immutable
public interface EntryError {

  String path();

  String error();
}
