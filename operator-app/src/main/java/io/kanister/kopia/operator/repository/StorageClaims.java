package io.kanister.kopia.operator.repository;

import io.kanister.kopia.model.repository.Repository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One repository, one Repository: of several Repositories whose location Secrets point at the same
 * storage, the oldest (by creationTimestamp, then namespace and name) keeps it and the others write
 * nothing, so a repository never has two servers or two policy writers.
 */
public final class StorageClaims {
  public static final String REASON = "StorageInUse";

  private StorageClaims() {}

  /**
   * The Repository older than {@code repository} that points at {@code key}, if any.
   *
   * @param others every Repository the caller can see; {@code repository} itself is skipped
   * @param keyOf the storage a Repository's location Secret points at, empty when unknown
   */
  public static Optional<Repository> olderHolder(
      Repository repository,
      StorageKey key,
      List<Repository> others,
      Function<Repository, Optional<StorageKey>> keyOf) {
    // Every pass scans every Repository: the cached key lookup first, because the age order
    // parses two timestamps and, at 1000 Repositories, was most of this scan's CPU.
    return others.stream()
        .filter(other -> keyOf.apply(other).filter(key::equals).isPresent())
        .filter(other -> !sameObject(other, repository))
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
        .filter(other -> ORDER.compare(other, repository) < 0)
        .min(ORDER);
  }

  /** The message for the younger Repository; names the holder, never a credential. */
  public static String message(Repository holder, StorageKey key) {
    return "Repository "
        + holder.getMetadata().getNamespace()
        + "/"
        + holder.getMetadata().getName()
        + " already uses this storage ("
        + key.text()
        + "); one Kopia repository has one Repository, so this one creates, writes and serves"
        + " nothing. Point spec.location at another location Secret, or a Secret at another"
        + " bucket, prefix or path, or delete one of the two Repositories";
  }

  private static final Comparator<Repository> ORDER =
      Comparator.comparing((Repository r) -> created(r))
          .thenComparing(r -> Objects.toString(r.getMetadata().getNamespace(), ""))
          .thenComparing(r -> Objects.toString(r.getMetadata().getName(), ""));

  private static Instant created(Repository repository) {
    String stamp = repository.getMetadata().getCreationTimestamp();
    // Not yet stored (an object under admission): younger than every stored one.
    return stamp == null ? Instant.MAX : Instant.parse(stamp);
  }

  private static boolean sameObject(Repository a, Repository b) {
    if (a.getMetadata().getUid() != null && b.getMetadata().getUid() != null) {
      return a.getMetadata().getUid().equals(b.getMetadata().getUid());
    }
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }
}
