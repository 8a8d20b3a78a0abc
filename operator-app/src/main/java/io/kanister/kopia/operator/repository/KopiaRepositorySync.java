package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.EnsureOutcome;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryIdentityStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Steps 2 and 3: the Kopia repository exists and is the one the Repository is pinned to ({@link
 * RepositoryPin}), and its policies equal the spec ({@link PolicySync}).
 *
 * <p>The identity check is remembered per Repository by a key of its inputs (the location Secret's
 * resourceVersion and the desired policies). A resync whose inputs did not change runs one {@code
 * manifest list}: it fails at once on emptied storage (the format blob is never cached), and when
 * the policy manifests are the ones the last converged pass saw ({@link VerifiedPolicies}), the
 * {@code policy list} is skipped; otherwise it runs and corrects drift. The listing's digests are
 * kept for the pass's later steps ({@link #observed}). After an operator restart the memory is
 * empty, so the first pass only reads (connect, {@code repository status}, {@code manifest list},
 * {@code policy list}) and writes nothing unless the repository really differs.
 */
final class KopiaRepositorySync {
  /**
   * What the sync did, for conditions and Events.
   *
   * @param refusal present when the storage does not hold the pinned repository: nothing written
   * @param policies empty only when refused
   * @param identity what status.repository should say afterwards
   * @param skipped inputs were unchanged: only the drift checks ({@code manifest list}, and {@code
   *     policy list} if the policy manifests changed) ran
   */
  record Outcome(
      Optional<EnsureOutcome> ensured,
      Optional<RepositoryPin.Refusal> refusal,
      Optional<PolicySync.Report> policies,
      RepositoryIdentityStatus identity,
      boolean skipped) {
    List<PolicyTarget> policiesWritten() {
      return policies.map(PolicySync.Report::written).orElse(List.of());
    }
  }

  private final KopiaRunner runner;
  private final KopiaWorkspaces workspaces;
  private final Clock clock;
  private final Map<String, String> lastSynced = new ConcurrentHashMap<>();
  private final Map<String, ManifestDigests> observed = new ConcurrentHashMap<>();
  private final VerifiedPolicies verifiedPolicies = new VerifiedPolicies();

  KopiaRepositorySync(KopiaRunner runner, KopiaWorkspaces workspaces) {
    this(runner, workspaces, Clock.systemUTC());
  }

  KopiaRepositorySync(KopiaRunner runner, KopiaWorkspaces workspaces, Clock clock) {
    this.runner = runner;
    this.workspaces = workspaces;
    this.clock = clock;
  }

  /**
   * Unchanged inputs cost one {@code manifest list} (which also fails at once on emptied storage
   * because the format blob is never cached), plus a {@code policy list} when the policy manifests
   * or the desired policies changed since the last converged pass; changed inputs, a restart or an
   * earlier failure run the identity check first: connect (create only before an identity is
   * recorded or when a new one was accepted) and {@code repository status}.
   */
  Outcome sync(Repository repository, RepositoryInputs inputs) throws java.io.IOException {
    KopiaWorkspace workspace = workspaceOf(repository);
    String key = uid(repository);
    observed.remove(key);
    String inputsKey =
        inputs.locationSecret().getMetadata().getResourceVersion()
            + "|"
            + Objects.hash(inputs.policies());
    // The policies' full text, not a 32-bit hash: equal keys skip the policy list.
    String desiredPolicies = Sha256.hex(String.valueOf(inputs.policies()));
    Kopia kopia =
        Kopia.open(runner, workspace, inputs.location().repositoryPassword()).freshFormatBlob();
    RepositoryIdentityStatus identity = copyOf(repository);
    if (inputsKey.equals(lastSynced.get(key)) && workspaces.isConnected(workspace)) {
      try {
        ManifestDigests seen = ManifestDigests.of(kopia.manifests());
        observed.put(key, seen);
        PolicySync.Report report = policies(key, kopia, inputs, identity, seen, desiredPolicies);
        return new Outcome(Optional.empty(), Optional.empty(), Optional.of(report), identity, true);
      } catch (KopiaException e) {
        // The storage may have changed under us: check the identity again right away.
        lastSynced.remove(key);
        observed.remove(key);
        verifiedPolicies.forget(key);
      }
    }
    writeGcsCredentials(workspace, inputs);
    RepositoryPin.Verdict verdict =
        RepositoryPin.pin(kopia, repository, inputs.location().storage(), identity(repository));
    if (verdict.refusal().isPresent()) {
      return new Outcome(Optional.empty(), verdict.refusal(), Optional.empty(), identity, false);
    }
    if (!verdict.uniqueId().equals(identity.getUniqueId())) {
      identity.setUniqueId(verdict.uniqueId());
      identity.setRecordedAt(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    }
    identity.setStorage(inputs.location().storage().displayName());
    ManifestDigests seen = ManifestDigests.of(kopia.manifests());
    observed.put(key, seen);
    PolicySync.Report report = policies(key, kopia, inputs, identity, seen, desiredPolicies);
    lastSynced.put(key, inputsKey);
    return new Outcome(verdict.ensured(), Optional.empty(), Optional.of(report), identity, false);
  }

  /**
   * The policy step: the last converged report when neither the policy manifests nor the desired
   * policies changed since, else one {@code policy list} and the writes it calls for.
   */
  private PolicySync.Report policies(
      String key,
      Kopia kopia,
      RepositoryInputs inputs,
      RepositoryIdentityStatus identity,
      ManifestDigests seen,
      String desired) {
    Optional<PolicySync.Report> unchanged =
        verifiedPolicies.unchanged(key, seen.policies(), desired);
    PolicySync.Report report;
    if (unchanged.isPresent()) {
      report = unchanged.get();
    } else {
      report = PolicySync.sync(kopia, inputs.policies(), identity.getManagedPolicies());
      verifiedPolicies.synced(key, seen.policies(), desired, report);
    }
    identity.setManagedPolicies(new ArrayList<>(report.managed()));
    return report;
  }

  /**
   * The manifest digests this pass's {@link #sync} saw, for the later steps (maintenance, users);
   * empty when it listed none (it failed or refused first).
   */
  Optional<ManifestDigests> observed(Repository repository) {
    return Optional.ofNullable(observed.get(uid(repository)));
  }

  /** The recorded identity, as a copy this pass may change; empty when none is recorded. */
  private static RepositoryIdentityStatus copyOf(Repository repository) {
    RepositoryIdentityStatus copy = new RepositoryIdentityStatus();
    RepositoryIdentityStatus recorded =
        repository.getStatus() == null ? null : repository.getStatus().getRepository();
    if (recorded != null) {
      copy.setUniqueId(recorded.getUniqueId());
      copy.setRecordedAt(recorded.getRecordedAt());
      copy.setStorage(recorded.getStorage());
      copy.setManagedPolicies(new ArrayList<>(recorded.getManagedPolicies()));
    }
    return copy;
  }

  /**
   * The Kopia client the other steps (users) use for this Repository; connected by {@link #sync}.
   */
  Kopia kopia(Repository repository, RepositoryInputs inputs) {
    return Kopia.open(runner, workspaceOf(repository), inputs.location().repositoryPassword());
  }

  /** How many Repositories anything is held for. */
  int size() {
    java.util.Set<String> held = new java.util.HashSet<>(lastSynced.keySet());
    held.addAll(observed.keySet());
    held.addAll(verifiedPolicies.keys());
    return held.size();
  }

  /** Forgets a Repository: its memory and its workspace, whose config file holds storage keys. */
  void forget(Repository repository) {
    lastSynced.remove(uid(repository));
    observed.remove(uid(repository));
    verifiedPolicies.forget(uid(repository));
    workspaceOf(repository).delete();
  }

  /** Makes the next sync talk to kopia again, e.g. after a failure. */
  void invalidate(Repository repository) {
    lastSynced.remove(uid(repository));
    observed.remove(uid(repository));
    verifiedPolicies.forget(uid(repository));
  }

  Path gcsCredentialsFile(Repository repository) {
    return workspaceOf(repository).root().resolve("gcs-credentials.json");
  }

  private KopiaWorkspace workspaceOf(Repository repository) {
    return workspaces.forRepository(
        repository.getMetadata().getNamespace(),
        repository.getMetadata().getName(),
        uid(repository));
  }

  /** The GCS key the location Secret holds, as parsed once, in a file only the operator reads. */
  private void writeGcsCredentials(KopiaWorkspace workspace, RepositoryInputs inputs)
      throws java.io.IOException {
    if (inputs.location().storage() instanceof GcsLocation gcs
        && gcs.credentialsJson().isPresent()) {
      Path file = workspace.root().resolve("gcs-credentials.json");
      Files.deleteIfExists(file);
      // Created 0600 from the start: the key is never readable by others, not even briefly.
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, gcs.credentialsJson().get().reveal());
    }
  }

  /** The operator's own Kopia identity for a Repository: it owns maintenance and policies. */
  static ClientIdentity identity(Repository repository) {
    return new ClientIdentity(
        "kopia-operator",
        repository.getMetadata().getNamespace() + "." + repository.getMetadata().getName());
  }

  private static String uid(Repository repository) {
    return Objects.requireNonNullElse(repository.getMetadata().getUid(), "no-uid");
  }
}
