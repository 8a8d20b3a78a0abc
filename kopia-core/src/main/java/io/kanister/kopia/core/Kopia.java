package io.kanister.kopia.core;

import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.command.MaintenanceCommands;
import io.kanister.kopia.core.command.ManifestCommands;
import io.kanister.kopia.core.command.PolicyCommands;
import io.kanister.kopia.core.command.RepositoryCommands;
import io.kanister.kopia.core.command.SnapshotCommands;
import io.kanister.kopia.core.command.UserCommands;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.output.MaintenanceInfo;
import io.kanister.kopia.core.output.ManifestList;
import io.kanister.kopia.core.output.RepositoryStatus;
import io.kanister.kopia.core.output.SnapshotManifest;
import io.kanister.kopia.core.policy.InvalidPolicyException;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyDiff;
import io.kanister.kopia.core.policy.PolicyListOutput;
import io.kanister.kopia.core.policy.PolicyListing;
import io.kanister.kopia.core.policy.PolicyShowOutput;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embeddable entry point: one workspace (config file, cache) connected to one repository,
 * directly or through a repository server, running commands with the password that opens it.
 *
 * <pre>{@code
 * Kopia kopia = Kopia.open(new ProcessKopiaRunner(kopiaBinary), workspace, repoPassword);
 * kopia.ensureRepository(S3Location.builder()...build(), new ClientIdentity("operator", "kanister"));
 * kopia.applyPolicy(PolicyTarget.global(), desiredPolicy);
 * }</pre>
 */
public final class Kopia {
  /** {@code policy set} may need a second pass (switching to manual scheduling); never loop. */
  private static final int MAX_POLICY_PASSES = 3;

  private final KopiaRunner runner;
  private final KopiaWorkspace workspace;
  private final SecretValue password;
  private final boolean freshFormatBlob;

  private Kopia(KopiaRunner runner, KopiaWorkspace workspace, SecretValue password) {
    this(runner, workspace, password, false);
  }

  private Kopia(
      KopiaRunner runner, KopiaWorkspace workspace, SecretValue password, boolean freshFormatBlob) {
    this.runner = runner;
    this.workspace = workspace;
    this.password = password;
    this.freshFormatBlob = freshFormatBlob;
  }

  /**
   * A copy whose connections read the repository's format blob from storage on every command
   * ({@code --disable-repository-format-cache}) instead of trusting a 15-minute local copy. With
   * the cache, a command on emptied storage still opens the cached repository, sees no policies and
   * would write new ones into the empty storage; without it, it fails at once ("BLOB not found").
   */
  public Kopia freshFormatBlob() {
    return new Kopia(runner, workspace, password, true);
  }

  /**
   * A client for {@code workspace}, running commands with {@code password}: the repository password
   * for a direct connection, or the user's password for a server connection. Connect it with {@link
   * #ensureRepository}, or write the workspace's config file beforehand ({@code
   * RepositoryConfigFile}).
   */
  public static Kopia open(KopiaRunner runner, KopiaWorkspace workspace, SecretValue password) {
    return new Kopia(runner, workspace, password);
  }

  /**
   * Connects {@code workspace} to a repository server as {@code identity} and returns a client that
   * runs commands as that user.
   */
  public static Kopia connectToServer(
      KopiaRunner runner,
      KopiaWorkspace workspace,
      String url,
      CertificateFingerprint fingerprint,
      ClientIdentity identity,
      SecretValue userPassword) {
    Kopia kopia = new Kopia(runner, workspace, userPassword);
    kopia.run(RepositoryCommands.connectServer(url, fingerprint, identity, userPassword));
    return kopia;
  }

  /** Runs any command in this workspace with this connection's password. */
  public KopiaResult run(KopiaCommand command) {
    return runner.run(
        command.withEnvironment(
            workspace.environment(), Map.of("KOPIA_PASSWORD", password.reveal())));
  }

  public KopiaWorkspace workspace() {
    return workspace;
  }

  /**
   * Connects to the repository in {@code location}, creating it if the storage is empty. Existing
   * data is never overwritten: a repository that exists is adopted only if the password opens it,
   * otherwise this throws a {@link KopiaException} of kind {@link KopiaErrorKind#INVALID_PASSWORD}.
   */
  public EnsureOutcome ensureRepository(StorageLocation location, ClientIdentity identity) {
    try {
      connectRepository(location, identity);
      return EnsureOutcome.ADOPTED;
    } catch (KopiaException e) {
      if (e.kind() != KopiaErrorKind.REPOSITORY_NOT_INITIALIZED) {
        throw e;
      }
    }
    try {
      run(connection(RepositoryCommands.create(location, password, identity, false)));
      return EnsureOutcome.CREATED;
    } catch (KopiaException e) {
      if (e.kind() != KopiaErrorKind.ALREADY_EXISTS) {
        throw e;
      }
      // Someone initialized it between our connect and create: adopt it like any other.
      connectRepository(location, identity);
      return EnsureOutcome.ADOPTED;
    }
  }

  /**
   * Connects to the repository in {@code location} and never creates one: empty storage throws a
   * {@link KopiaException} of kind {@link KopiaErrorKind#REPOSITORY_NOT_INITIALIZED}, a password
   * that does not open it one of kind {@link KopiaErrorKind#INVALID_PASSWORD}.
   */
  public void connectRepository(StorageLocation location, ClientIdentity identity) {
    run(connection(RepositoryCommands.connect(location, password, identity)));
  }

  private KopiaCommand connection(KopiaCommand command) {
    if (!freshFormatBlob) {
      return command;
    }
    List<String> args = new java.util.ArrayList<>(command.args());
    args.add("--disable-repository-format-cache");
    return io.kanister.kopia.core.command.ImmutableKopiaCommand.copyOf(command).withArgs(args);
  }

  public RepositoryStatus status() {
    return RepositoryStatus.parse(run(RepositoryCommands.status()).stdout());
  }

  public void disconnect() {
    run(RepositoryCommands.disconnect());
  }

  /** The policy defined on exactly this target (not merged with its parents). */
  public Policy definedPolicy(PolicyTarget target) {
    return PolicyListOutput.definedFor(
        PolicyListOutput.parse(run(PolicyCommands.list()).stdout()), target);
  }

  /**
   * Every defined policy, in one {@code policy list}; policies this model cannot read are listed
   * apart instead of failing the call.
   */
  public PolicyListing policies() {
    return PolicyListing.parse(run(PolicyCommands.list()).stdout());
  }

  /**
   * As {@link #applyPolicy(PolicyTarget, Policy)}, diffing the first pass against {@code current}
   * (one {@code policy list} shared by many targets): a target that already matches costs no kopia
   * call; one that does not costs one {@code policy set} and one {@code policy list} per pass.
   *
   * @throws InvalidPolicyException if {@code current} holds a policy for {@code target} that this
   *     model cannot read: it is not overwritten on a guess
   */
  public boolean applyPolicy(PolicyTarget target, Policy desired, PolicyListing current) {
    boolean changed = false;
    PolicyListing listing = current;
    for (int pass = 0; pass < MAX_POLICY_PASSES; pass++) {
      Optional<PolicyListing.Unreadable> unreadable = listing.unreadable(target);
      if (unreadable.isPresent()) {
        throw new InvalidPolicyException(
            "the policy of " + target.text() + " cannot be read: " + unreadable.get().reason());
      }
      List<String> diff = PolicyDiff.diff(target, desired, listing.definedFor(target));
      if (diff.isEmpty()) {
        return changed;
      }
      run(PolicyCommands.setArguments(diff));
      changed = true;
      listing = policies();
    }
    throw new IllegalStateException(
        "policy for " + target.text() + " did not converge in " + MAX_POLICY_PASSES + " passes");
  }

  /** Removes the policy defined on {@code target} ({@code policy delete}). */
  public void deletePolicy(PolicyTarget target) {
    run(PolicyCommands.delete(target));
  }

  /** The effective policy for the target, merged with its parents and kopia's defaults. */
  public Policy effectivePolicy(PolicyTarget target) {
    return PolicyShowOutput.parseOne(run(PolicyCommands.show(target)).stdout().strip());
  }

  /**
   * Makes the policy defined on {@code target} equal {@code desired}, writing only the difference.
   *
   * @return true if anything was written; false means kopia was only read
   */
  public boolean applyPolicy(PolicyTarget target, Policy desired) {
    boolean changed = false;
    for (int pass = 0; pass < MAX_POLICY_PASSES; pass++) {
      List<String> diff = PolicyDiff.diff(target, desired, definedPolicy(target));
      if (diff.isEmpty()) {
        return changed;
      }
      run(PolicyCommands.setArguments(diff));
      changed = true;
    }
    throw new IllegalStateException(
        "policy for " + target.text() + " did not converge in " + MAX_POLICY_PASSES + " passes");
  }

  public List<UserProfile> users() {
    return UserProfile.parseList(run(UserCommands.list()).stdout());
  }

  public void addUser(KopiaUsername user, UserPasswordHash hash) {
    run(UserCommands.add(user, hash));
  }

  public void setUser(KopiaUsername user, UserPasswordHash hash) {
    run(UserCommands.set(user, hash));
  }

  public void deleteUser(KopiaUsername user) {
    run(UserCommands.delete(user));
  }

  /**
   * Every manifest's id and labels ({@code manifest list}), one read that shows whether anyone
   * changed a policy, a user or the maintenance parameters since an earlier listing. On a
   * connection made with {@link #freshFormatBlob} it fails on emptied storage as any command does.
   */
  public ManifestList manifests() {
    return ManifestList.parse(run(ManifestCommands.list()).stdout());
  }

  public MaintenanceInfo maintenanceInfo() {
    return MaintenanceInfo.parse(run(MaintenanceCommands.info()).stdout());
  }

  public SnapshotManifest snapshot(Path source, Map<String, String> tags) {
    List<SnapshotManifest> created =
        SnapshotManifest.parseCreateOutput(
            run(SnapshotCommands.create(source, tags, null)).stdout());
    if (created.size() != 1) {
      throw new IllegalStateException(
          "expected one snapshot of " + source + ", got " + created.size());
    }
    return created.get(0);
  }

  public List<SnapshotManifest> snapshots(Path source) {
    return SnapshotManifest.parseListOutput(run(SnapshotCommands.list(source)).stdout());
  }

  public void restore(String snapshotId, Path target) {
    run(SnapshotCommands.restore(snapshotId, target));
  }

  public void deleteSnapshot(String snapshotId) {
    run(SnapshotCommands.delete(snapshotId));
  }
}
