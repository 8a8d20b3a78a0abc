package io.kanister.controller.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.function.Predicate;

/** Filters informer events before they are turned into requests; all pass by default. */
public interface EventPredicate<T extends HasMetadata> {
  default boolean onCreate(T object) {
    return true;
  }

  default boolean onUpdate(T previous, T current) {
    return true;
  }

  default boolean onDelete(T object) {
    return true;
  }

  static <T extends HasMetadata> EventPredicate<T> all() {
    return new EventPredicate<>() {};
  }

  /** Passes every event whose object (on update: either version) matches. */
  static <T extends HasMetadata> EventPredicate<T> matching(Predicate<T> filter) {
    return new EventPredicate<>() {
      @Override
      public boolean onCreate(T object) {
        return filter.test(object);
      }

      @Override
      public boolean onUpdate(T previous, T current) {
        return filter.test(previous) || filter.test(current);
      }

      @Override
      public boolean onDelete(T object) {
        return filter.test(object);
      }
    };
  }

  /**
   * Skips updates that leave {@code metadata.generation} alone, i.e. status and metadata only
   * writes, which would otherwise make a controller react to its own status updates.
   */
  static <T extends HasMetadata> EventPredicate<T> generationChanged() {
    return new EventPredicate<>() {
      @Override
      public boolean onUpdate(T previous, T current) {
        var before = previous.getMetadata().getGeneration();
        var after = current.getMetadata().getGeneration();
        return before == null || after == null || !Objects.equals(before, after);
      }
    };
  }

  default EventPredicate<T> and(EventPredicate<T> other) {
    var self = this;
    return new EventPredicate<>() {
      @Override
      public boolean onCreate(T object) {
        return self.onCreate(object) && other.onCreate(object);
      }

      @Override
      public boolean onUpdate(T previous, T current) {
        return self.onUpdate(previous, current) && other.onUpdate(previous, current);
      }

      @Override
      public boolean onDelete(T object) {
        return self.onDelete(object) && other.onDelete(object);
      }
    };
  }
}
