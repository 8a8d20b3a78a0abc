package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.StorageLocation;

/** What a location Secret holds: where the repository is, and the password that opens it. */
public record RepositoryLocation(StorageLocation storage, SecretValue repositoryPassword) {
  @Override
  public String toString() {
    return storage.displayName();
  }
}
