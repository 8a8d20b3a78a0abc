package io.kanister.kopia.operator.scope;

import io.kanister.kopia.model.RepositoryScope;
import java.time.Instant;
import java.util.Objects;

/** The mode the cluster's Repositories were made in, and when and by whom it was recorded. */
public record ScopeRecord(RepositoryScope scope, Instant recordedAt, String recordedBy) {
  public ScopeRecord {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(recordedBy, "recordedBy");
  }
}
