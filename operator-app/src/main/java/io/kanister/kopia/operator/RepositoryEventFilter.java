package io.kanister.kopia.operator;

import io.kanister.controller.watch.EventPredicate;
import io.kanister.kopia.model.repository.Repository;
import java.util.Objects;

/**
 * Repository updates worth a reconcile: a spec change (generation) or the start of a deletion. The
 * operator's own status writes are not, or every status write would trigger another pass.
 */
final class RepositoryEventFilter implements EventPredicate<Repository> {
  @Override
  public boolean onUpdate(Repository previous, Repository current) {
    boolean specChanged =
        !Objects.equals(
            previous.getMetadata().getGeneration(), current.getMetadata().getGeneration());
    boolean deletionStarted =
        previous.getMetadata().getDeletionTimestamp() == null
            && current.getMetadata().getDeletionTimestamp() != null;
    return specChanged || deletionStarted;
  }
}
