package io.kanister.controller.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that drops {@code metadata.managedFields} from each object it keeps.
 *
 * <p>The API server's field-ownership bookkeeping is on every object and lists every field ever
 * set, often as large as the object itself. The operator never reads it, and a write of a cached
 * object without it leaves the server's record unchanged (an absent list is not a cleared one).
 * Keeping it made the workload caches of a large cluster the operator's biggest heap user.
 */
final class LeanItemStore<R extends HasMetadata> extends BasicItemStore<R> {
  LeanItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return super.put(key, object);
  }
}
