package io.kanister.controller.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds an object in whichever of a few informer caches holds its type and namespace, so that a
 * pass reads owned objects without a GET. A miss in a synced cache means "not created yet" (or
 * created so recently that the watch has not told yet): a create then answers 409, and the caller
 * reads the object from the API server.
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

  /** Whether a cache watches {@code like}'s type and namespace, so that a miss means "absent". */
  public boolean covers(HasMetadata like) {
    return cacheFor(like).isPresent();
  }

  /** The cached object of {@code like}'s type, namespace and name; a copy is the caller's job. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Optional<T> get(T like) {
    return cacheFor(like)
        .flatMap(
            cache ->
                (Optional<T>)
                    cache.get(like.getMetadata().getNamespace(), like.getMetadata().getName()));
  }

  private Optional<InformerCache<?>> cacheFor(HasMetadata like) {
    String namespace = like.getMetadata().getNamespace();
    return caches.stream()
        .filter(cache -> cache.type().equals(like.getClass()))
        .filter(cache -> cache.namespace() == null || Objects.equals(cache.namespace(), namespace))
        .findFirst();
  }
}
