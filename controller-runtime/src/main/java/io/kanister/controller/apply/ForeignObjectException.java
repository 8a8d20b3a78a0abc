package io.kanister.controller.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * An object with the name a controller wants exists but belongs to someone else. The controller
 * never takes it over: overwriting it, or deleting it later with its supposed owner, could destroy
 * a user's data (a Secret holding a password, say).
 */
public final class ForeignObjectException extends RuntimeException {
  public ForeignObjectException(HasMetadata existing, HasMetadata owner) {
    super(
        existing.getKind()
            + " "
            + existing.getMetadata().getNamespace()
            + "/"
            + existing.getMetadata().getName()
            + " already exists and is not owned by "
            + owner.getKind()
            + " "
            + owner.getMetadata().getNamespace()
            + "/"
            + owner.getMetadata().getName()
            + "; rename or delete it so that the operator can create its own",
        null,
        false,
        false);
  }
}
