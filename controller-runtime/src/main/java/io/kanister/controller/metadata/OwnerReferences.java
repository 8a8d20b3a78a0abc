package io.kanister.controller.metadata;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;

/** Controller owner references: at most one per object, the one that {@code Owns} follows. */
public final class OwnerReferences {
  private OwnerReferences() {}

  /** The reference whose {@code controller} flag is set, if any. */
  public static Optional<OwnerReference> controllerOf(HasMetadata object) {
    var refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
    return controllerOf(object)
        .map(ref -> Objects.equals(ref.getUid(), owner.getMetadata().getUid()))
        .orElse(false);
  }

  /**
   * Makes {@code owner} the controller of {@code owned} (with {@code blockOwnerDeletion}), in
   * place. Refuses when another object already controls it, like Go's {@code
   * SetControllerReference}, because two controllers would fight over the object.
   */
  public static void setController(HasMetadata owner, HasMetadata owned) {
    var uid = owner.getMetadata().getUid();
    if (uid == null) {
      throw new IllegalArgumentException(
          "owner "
              + owner.getKind()
              + " "
              + owner.getMetadata().getName()
              + " has no uid; read it from the API server before owning objects with it");
    }
    var existing = controllerOf(owned);
    if (existing.isPresent() && !uid.equals(existing.get().getUid())) {
      throw new IllegalStateException(
          owned.getKind()
              + " "
              + owned.getMetadata().getName()
              + " is already controlled by "
              + existing.get().getKind()
              + " "
              + existing.get().getName());
    }
    var refs =
        owned.getMetadata().getOwnerReferences() == null
            ? new ArrayList<OwnerReference>()
            : new ArrayList<>(owned.getMetadata().getOwnerReferences());
    refs.removeIf(r -> uid.equals(r.getUid()));
    refs.add(
        new OwnerReferenceBuilder()
            .withApiVersion(owner.getApiVersion())
            .withKind(owner.getKind())
            .withName(owner.getMetadata().getName())
            .withUid(uid)
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build());
    owned.getMetadata().setOwnerReferences(refs);
  }

  /** The API group of an {@code apiVersion}; empty for the core group ({@code v1}). */
  public static String groupOf(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
