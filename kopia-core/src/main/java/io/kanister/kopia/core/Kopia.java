package io.kanister.kopia.core;

import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.command.MaintenanceCommands;
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
import io.kanister.kopia.core.output.RepositoryStatus;
import io.kanister.kopia.core.output.SnapshotManifest;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyDiff;
import io.kanister.kopia.core.policy.PolicyListOutput;
import io.kanister.kopia.core.policy.PolicyShowOutput;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.secret.Secret;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
  private final Secret password;

  private Kopia(KopiaRunner runner, KopiaWorkspace workspace, Secret password) {
    this.runner = runner;
    this.workspace = workspace;
    this.password = password;
  }

  /**
   * A client for {@code workspace}, running commands with {@code password}: the repository password
   * for a direct connection, or the user's password for a server connection. Connect it with {@link
   * #ensureRepository}, or write the workspace's config file beforehand ({@code
   * RepositoryConfigFile}).
   */
  public static Kopia open(KopiaRunner runner, KopiaWorkspace workspace, Secret password) {
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
      Secret userPassword) {
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
      run(RepositoryCommands.connect(location, password, identity));
      return EnsureOutcome.ADOPTED;
    } catch (KopiaException e) {
      if (e.kind() != KopiaErrorKind.REPOSITORY_NOT_INITIALIZED) {
        throw e;
      }
    }
    try {
      run(RepositoryCommands.create(location, password, identity, false));
      return EnsureOutcome.CREATED;
    } catch (KopiaException e) {
      if (e.kind() != KopiaErrorKind.ALREADY_EXISTS) {
        throw e;
      }
      // Someone initialized it between our connect and create: adopt it like any other.
      run(RepositoryCommands.connect(location, password, identity));
      return EnsureOutcome.ADOPTED;
    }
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
