package io.kanister.controller.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds an object in whichever of a few informer caches holds its type and namespace, so that a
 * steady-state pass reads owned objects without a GET. A miss means "not seen yet", never "absent":
 * the caller asks the API server then.
 */
public final class CachedObjects {
  private final List<InformerCache<?>> caches;

  private CachedObjects(List<InformerCache<?>> caches) {
    this.caches = List.copyOf(caches);
  }

  public static CachedObjects of(InformerCache<?>... caches) {
    return new CachedObjects(List.of(caches));
  }

  /** Reads nothing: every lookup misses, so every read goes to the API server. */
  public static CachedObjects none() {
    return new CachedObjects(List.of());
  }

  /** The cached object of {@code like}'s type, namespace and name; a copy is the caller's job. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Optional<T> get(T like) {
    String namespace = like.getMetadata().getNamespace();
    for (InformerCache<?> cache : caches) {
      if (cache.type().equals(like.getClass())
          && (cache.namespace() == null || Objects.equals(cache.namespace(), namespace))) {
        return (Optional<T>) cache.get(namespace, like.getMetadata().getName());
      }
    }
    return Optional.empty();
  }
}
