package io.kanister.controller.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kanister.controller.reconcile.Request;
import java.util.Set;

/** Turns a watched object into the primary objects that must be reconciled because of it. */
@FunctionalInterface
public interface RequestMapper<T extends HasMetadata> {
  Set<Request> map(T object);
}
