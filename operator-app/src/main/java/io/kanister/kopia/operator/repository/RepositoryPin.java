package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.EnsureOutcome;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryIdentityStatus;
import java.util.Optional;

/**
 * Pins a Repository to one Kopia repository. Before an identity is recorded the storage is created
 * or adopted; afterwards it is only ever connected to, and empty storage or another repository
 * there is refused until the storage is restored or the user accepts a new repository with {@link
 * #ACCEPT_ANNOTATION} set to the recorded identity. Naming the identity being replaced keeps the
 * acceptance from staying armed: once the new identity is recorded the annotation no longer
 * matches.
 */
final class RepositoryPin {
  static final String ACCEPT_ANNOTATION = "repo.kanister.io/accept-new-repository";
  static final String MISSING = "RepositoryMissing";
  static final String CHANGED = "RepositoryIdentityChanged";

  /**
   * Stands for the identity of a repository served before identities were recorded (an upgrade): it
   * is never created again either, and accepting a new one takes this annotation value.
   */
  static final String UNRECORDED = "unrecorded";

  /** Why the recorded repository was not found; nothing was written. */
  record Refusal(String reason, String message) {}

  /**
   * @param ensured what was found: created, or adopted / connected
   * @param uniqueId the identity of the repository now connected
   * @param refusal present when the storage does not hold the recorded repository
   */
  record Verdict(Optional<EnsureOutcome> ensured, String uniqueId, Optional<Refusal> refusal) {
    static Verdict refused(String reason, String message) {
      return new Verdict(Optional.empty(), "", Optional.of(new Refusal(reason, message)));
    }
  }

  private RepositoryPin() {}

  /** The identity recorded in the Repository's status, if any. */
  static Optional<String> recorded(Repository repository) {
    return Optional.ofNullable(repository.getStatus())
        .map(s -> s.getRepository())
        .map(RepositoryIdentityStatus::getUniqueId)
        .filter(id -> !id.isBlank());
  }

  /** Whether the user accepted replacing the recorded identity {@code recorded}. */
  static boolean acceptsReplacing(Repository repository, String recorded) {
    var annotations = repository.getMetadata().getAnnotations();
    return annotations != null && recorded.equals(annotations.get(ACCEPT_ANNOTATION));
  }

  static Verdict pin(
      Kopia kopia, Repository repository, StorageLocation location, ClientIdentity identity) {
    Optional<String> recorded = recorded(repository);
    Optional<String> pin =
        recorded.isPresent() || !servedBefore(repository) ? recorded : Optional.of(UNRECORDED);
    if (pin.isEmpty() || acceptsReplacing(repository, pin.get())) {
      EnsureOutcome ensured = kopia.ensureRepository(location, identity);
      return new Verdict(Optional.of(ensured), uniqueId(kopia), Optional.empty());
    }
    String pinned = pin.get();
    try {
      kopia.connectRepository(location, identity);
    } catch (KopiaException e) {
      if (e.kind() != KopiaErrorKind.REPOSITORY_NOT_INITIALIZED) {
        throw e;
      }
      return Verdict.refused(
          MISSING,
          "the storage at "
              + location.displayName()
              + " holds no Kopia repository, but this Repository is pinned to "
              + (pinned.equals(UNRECORDED)
                  ? "the repository its server was set up for (from before identities were"
                      + " recorded)"
                  : "repository " + pinned + " (status.repository.uniqueId)")
              + waysOut(repository, pinned, "a new, empty repository"));
    }
    String found = uniqueId(kopia);
    if (recorded.isPresent() && !found.equals(pinned)) {
      return Verdict.refused(
          CHANGED,
          "the storage at "
              + location.displayName()
              + " holds Kopia repository "
              + found
              + ", not repository "
              + pinned
              + " that this Repository is pinned to (status.repository.uniqueId)"
              + waysOut(repository, pinned, "repository " + found));
    }
    return new Verdict(Optional.of(EnsureOutcome.ADOPTED), found, Optional.empty());
  }

  /**
   * A server was set up for it but no identity recorded: a Repository from before identities were
   * recorded. Its first pass adopts and records what is there, and never creates.
   */
  private static boolean servedBefore(Repository repository) {
    return repository.getStatus() != null && repository.getStatus().getServer() != null;
  }

  private static String waysOut(Repository repository, String pinned, String replacement) {
    return ". Nothing was created or written and the server was left unchanged. Either restore"
        + " the storage (its contents, or the location Secret's bucket, prefix or path), or"
        + " accept "
        + replacement
        + " in its place: kubectl -n "
        + repository.getMetadata().getNamespace()
        + " annotate repository "
        + repository.getMetadata().getName()
        + " "
        + ACCEPT_ANNOTATION
        + "="
        + pinned
        + " (see docs/repository-identity.md)";
  }

  private static String uniqueId(Kopia kopia) {
    return kopia
        .status()
        .uniqueIdHex()
        .orElseThrow(
            () -> new IllegalStateException("kopia repository status reported no uniqueIDHex"));
  }
}
