package io.kanister.controller.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.controller.reconcile.Request;
import java.util.Set;

/**
 * Maps an owned object to its controller owner of the primary type ({@code Owns} in Go's
 * controller-runtime). Objects without such a controller reference map to nothing.
 */
public final class ControllerOwnerMapper<T extends HasMetadata> implements RequestMapper<T> {
  private final String ownerGroup;
  private final String ownerKind;

  public ControllerOwnerMapper(Class<? extends HasMetadata> ownerType) {
    this.ownerGroup = HasMetadata.getGroup(ownerType);
    this.ownerKind = HasMetadata.getKind(ownerType);
  }

  @Override
  public Set<Request> map(T object) {
    return OwnerReferences.controllerOf(object)
        .filter(ref -> ownerKind.equals(ref.getKind()))
        .filter(ref -> ownerGroup.equals(OwnerReferences.groupOf(ref.getApiVersion())))
        .map(ref -> Set.of(new Request(object.getMetadata().getNamespace(), ref.getName())))
        .orElse(Set.of());
  }
}
