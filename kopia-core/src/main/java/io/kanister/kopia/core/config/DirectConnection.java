package io.kanister.kopia.core.config;

import io.kanister.kopia.core.storage.StorageLocation;
import java.util.Objects;

/** A connection straight to the blob storage (the {@code storage} section of repo.config). */
public record DirectConnection(StorageLocation storage) implements RepositoryConnection {
  public DirectConnection {
    Objects.requireNonNull(storage, "storage");
  }
}
