package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.EnsureOutcome;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.model.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Steps 2 and 3: the Kopia repository exists (create-only, adopt if the password opens it) and its
 * policies equal the spec.
 *
 * <p>Kopia calls are remembered per Repository by a key of their inputs (the location Secret's
 * resourceVersion and the desired policies). A resync whose inputs did not change runs no kopia at
 * all; after an operator restart the memory is empty, so the first pass only reads (connect, {@code
 * policy list}) and writes nothing unless the repository really differs.
 */
final class KopiaRepositorySync {
  /** What the sync did, for conditions and Events. */
  record Outcome(
      Optional<EnsureOutcome> ensured, List<PolicyTarget> policiesWritten, boolean skipped) {}

  private final KopiaRunner runner;
  private final KopiaWorkspaces workspaces;
  private final Map<String, String> lastSynced = new ConcurrentHashMap<>();

  KopiaRepositorySync(KopiaRunner runner, KopiaWorkspaces workspaces) {
    this.runner = runner;
    this.workspaces = workspaces;
  }

  Outcome sync(Repository repository, RepositoryInputs inputs) throws java.io.IOException {
    KopiaWorkspace workspace = workspaceOf(repository);
    String key = uid(repository);
    String inputsKey =
        inputs.locationSecret().getMetadata().getResourceVersion()
            + "|"
            + Objects.hash(inputs.policies());
    if (inputsKey.equals(lastSynced.get(key)) && workspaces.isConnected(workspace)) {
      return new Outcome(Optional.empty(), List.of(), true);
    }
    writeGcsCredentials(workspace, inputs);
    Kopia kopia = Kopia.open(runner, workspace, inputs.location().repositoryPassword());
    EnsureOutcome ensured =
        kopia.ensureRepository(inputs.location().storage(), identity(repository));
    List<PolicyTarget> written = new ArrayList<>();
    for (Map.Entry<PolicyTarget, Policy> policy : inputs.policies().entrySet()) {
      if (kopia.applyPolicy(policy.getKey(), policy.getValue())) {
        written.add(policy.getKey());
      }
    }
    lastSynced.put(key, inputsKey);
    return new Outcome(Optional.of(ensured), written, false);
  }

  /**
   * The Kopia client the other steps (users) use for this Repository; connected by {@link #sync}.
   */
  Kopia kopia(Repository repository, RepositoryInputs inputs) {
    return Kopia.open(runner, workspaceOf(repository), inputs.location().repositoryPassword());
  }

  /** Forgets a Repository: its memory and its workspace, whose config file holds storage keys. */
  void forget(Repository repository) {
    lastSynced.remove(uid(repository));
    workspaceOf(repository).delete();
  }

  /** Makes the next sync talk to kopia again, e.g. after a failure. */
  void invalidate(Repository repository) {
    lastSynced.remove(uid(repository));
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
