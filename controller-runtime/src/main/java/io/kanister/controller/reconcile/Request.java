package io.kanister.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * What to reconcile: only a namespace and a name, never the event that caused it, so reconcilers
 * stay level based. {@code namespace} is null for cluster scoped objects.
 */
public record Request(String namespace, String name) {
  public Request {
    Objects.requireNonNull(name, "name");
  }

  public static Request of(HasMetadata object) {
    return new Request(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  @Override
  public String toString() {
    return namespace == null ? name : namespace + "/" + name;
  }
}
