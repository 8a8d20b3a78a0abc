package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.apply.ForeignObjectException;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.metadata.Finalizers;
import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import io.kanister.controller.status.StatusWriter;
import io.kanister.kopia.core.EnsureOutcome;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.ServerStatus;
import io.kanister.kopia.model.secret.LocationSecretParser;
import io.kanister.kopia.operator.server.HungServerRemedy;
import io.kanister.kopia.operator.server.ServerControlProbe;
import io.kanister.kopia.operator.server.ServerPlan;
import io.kanister.kopia.operator.server.ServerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one Repository in named steps, each reflected in a condition: inputs (Secrets), the
 * Kopia repository, its policies, and its server (config Secret, Deployment, Service, readiness).
 * Deletion removes the server and keeps the repository data.
 */
public final class RepositoryReconciler implements Reconciler<Repository> {
  public static final String FINALIZER = "repo.kanister.io/server-cleanup";
  static final String REPOSITORY_READY = "RepositoryReady";
  static final String POLICY_APPLIED = "PolicyApplied";
  static final String SERVER_READY = "ServerReady";
  static final String DELETION_FAILED = "DeletionFailed";

  private static final Logger LOG = LoggerFactory.getLogger(RepositoryReconciler.class);
  private static final Duration SERVER_STARTING_RECHECK = Duration.ofSeconds(5);
  private static final Duration INPUT_PROBLEM_RECHECK = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final InformerCache<Repository> repositories;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final Finalizers finalizers;
  private final RepositoryInputsLoader inputsLoader;
  private final KopiaRepositorySync kopia;
  private final ServerObjects serverObjects;
  private final IssuedTlsSecrets issuedTls;
  private final ServerSettings serverSettings;
  private final ServerControlProbe probe;
  private HungServerRemedy hungServers;
  private final Duration resyncPeriod;
  private final Clock clock;
  private final AccessUsersStep users;
  private final List<java.util.function.Consumer<Repository>> forgetHooks;
  private final MaintenanceStep maintenance;
  private final RepositoryStorageKeys storageKeys;

  public RepositoryReconciler(RepositoryReconcilerContext context) {
    this.client = context.client();
    this.repositories = context.repositories();
    this.statusWriter = context.statusWriter();
    this.events = context.events();
    this.finalizers = new Finalizers(client);
    // Secrets are read from the informer cache the Secret watch keeps anyway; a Secret the cache
    // has not seen yet reconciles again through that watch.
    InformerCache<Secret> secrets = context.secrets();
    this.inputsLoader =
        new RepositoryInputsLoader(
            (ns, name) -> secrets.get(ns, name).orElse(null), context.filesystemRoots());
    this.kopia =
        new KopiaRepositorySync(
            context.kopiaRunner(), new KopiaWorkspaces(context.workDirectory()), context.clock());
    this.storageKeys = new RepositoryStorageKeys(secrets);
    this.serverObjects =
        context.ownedObjects() == null
            ? new ServerObjects(client, secrets)
            : new ServerObjects(client, secrets, context.ownedObjects());
    this.issuedTls = new IssuedTlsSecrets(client, secrets, context.clock());
    this.serverSettings =
        new ServerSettings(context.kopiaImage(), context.serverPort(), context.serverResources());
    this.probe = new ServerControlProbe(context.endpointResolver());
    this.hungServers =
        new HungServerRemedy(client, context.clock(), HungServerRemedy.DEFAULT_PATIENCE);
    this.resyncPeriod = context.resyncPeriod();
    this.clock = context.clock();
    this.users = context.users();
    this.forgetHooks = context.forgetHooks();
    this.maintenance =
        context.maintenance() == null ? null : new MaintenanceStep(context.maintenance());
  }

  /**
   * How long a server may stay silent before its pod is restarted ({@code --hung-server-patience});
   * call before the reconciler runs.
   */
  public RepositoryReconciler withHungServerPatience(Duration patience) {
    this.hungServers = new HungServerRemedy(client, clock, patience);
    return this;
  }

  /** Lists this reconciler's own per-Repository memory in {@code memory} (forgotten on delete). */
  public RepositoryReconciler rememberIn(RepositoryMemory memory) {
    memory.register("kopia last synced", kopia::forget, kopia::size);
    memory.register(
        "hung-server clocks",
        r -> hungServers.forget(java.util.Objects.requireNonNullElse(r.getMetadata().getUid(), "")),
        hungServers::size);
    return this;
  }

  @Override
  public Result reconcile(Request request) throws Exception {
    Optional<Repository> found = repositories.get(request);
    if (found.isEmpty()) {
      return Result.done();
    }
    Repository repository = found.get();
    if (Finalizers.isBeingDeleted(repository)) {
      return cleanUp(repository);
    }

    RepositoryConditions status = new RepositoryConditions();
    Pass pass;
    try {
      repository = finalizers.add(repository, FINALIZER);
      pass = pass(repository, status);
    } catch (Exception unexpected) {
      StepFailure.report(status, unexpected);
      pass = Pass.rethrow(unexpected);
    } catch (Error error) {
      if (!StepFailure.reportable(error)) {
        throw error;
      }
      // The work queue retries exceptions only: an Error would end this Repository's retries.
      pass = Pass.retry(StepFailure.report(status, error));
    }
    // The one status write of a pass, from what the steps reported, before any retry.
    writeStatus(repository, status);
    return pass.finish();
  }

  /**
   * How a pass ends: a result to return, a transient failure to retry with backoff (already in
   * status), or an unexpected exception to rethrow.
   */
  private record Pass(Result result, String retry, Exception unexpected) {
    static Pass after(Duration delay) {
      return new Pass(Result.requeueAfter(delay), null, null);
    }

    static Pass retry(String message) {
      return new Pass(null, message, null);
    }

    static Pass rethrow(Exception e) {
      return new Pass(null, null, e);
    }

    Result finish() throws Exception {
      if (unexpected != null) {
        throw unexpected;
      }
      if (retry != null) {
        // Storage trouble is usually transient: retry with the queue's exponential backoff.
        throw new TransientRepositoryException(retry);
      }
      return result;
    }
  }

  /** The steps in order; each reports its own condition into {@code status}. */
  private Pass pass(Repository repository, RepositoryConditions status) throws Exception {
    // Before anything is written, not even the generated admin Secret.
    Optional<StorageKey> storage = storageKeys.of(repository);
    Optional<Repository> holder =
        storage.flatMap(
            key ->
                StorageClaims.olderHolder(repository, key, repositories.list(), storageKeys::of));
    if (holder.isPresent()) {
      return storageInUse(repository, holder.get(), storage.get(), status);
    }
    String serviceName = ServerNaming.serviceName(repository, repositories.list());
    Optional<Secret> generatedAdmin;
    Optional<Secret> issuedTlsSecret;
    try {
      generatedAdmin = serverObjects.generatedAdmin(repository, serviceName);
      issuedTlsSecret = issuedTls.ensure(repository, serviceName);
    } catch (ForeignObjectException e) {
      return nameConflict(repository, status, e);
    }
    RepositoryInputsLoader.Loaded loaded =
        inputsLoader.load(
            repository, kopia.gcsCredentialsFile(repository), generatedAdmin, issuedTlsSecret);
    if (loaded.inputs().isEmpty()) {
      String message = RepositoryConditions.describe(loaded.problems());
      status.set(REPOSITORY_READY, false, loaded.failure().reason, message);
      status.unknown(SERVER_READY, "WaitingForRepository", "the repository is not ready");
      events.warning(repository, loaded.failure().reason, message);
      // Secret edits trigger a reconcile through the watch; the recheck covers missed events.
      return Pass.after(INPUT_PROBLEM_RECHECK);
    }
    RepositoryInputs inputs = loaded.inputs().get();
    Optional<String> missingDirectory = FilesystemDirectory.missing(inputs.location().storage());
    if (missingDirectory.isPresent()) {
      status.set(REPOSITORY_READY, false, FilesystemDirectory.REASON, missingDirectory.get());
      status.unknown(SERVER_READY, "WaitingForRepository", "the repository is not ready");
      events.warning(repository, FilesystemDirectory.REASON, missingDirectory.get());
      return Pass.after(FilesystemDirectory.RECHECK);
    }

    Optional<Pass> kopiaProblem = syncKopia(repository, inputs, status);
    if (kopiaProblem.isPresent()) {
      return kopiaProblem.get();
    }
    if (maintenance != null) {
      status.running(
          io.kanister.kopia.model.repository.RepositoryConditionTypes.MAINTENANCE_HEALTHY);
      maintenance.run(
          repository, kopia.kopia(repository, inputs), kopia.observed(repository), status);
    }

    ServerObjects.Applied server;
    boolean serving;
    status.running(SERVER_READY);
    try {
      ServerModel model = ServerModel.of(repository, inputs, serviceName, serverSettings);
      server = serverObjects.apply(repository, model);
      if (!server.changes().isEmpty()) {
        LOG.info("server objects: {}", String.join(", ", server.changes()));
      }
      ServerCertificateRenewal.announce(
          events,
          repository,
          inputs.tlsSecret().getMetadata().getName(),
          inputs.tls().fingerprint().hex());
      status.server(
          new ServerStatus(serviceName, server.plan().url(), inputs.tls().fingerprint().hex()));
      serving = serverReady(repository, server, inputs, status);
    } catch (ForeignObjectException e) {
      return nameConflict(repository, status, e);
    } catch (RuntimeException e) {
      // Report before retrying, so status never keeps an earlier, happier answer.
      String message = "the server step failed: " + safeMessage(e);
      status.set(SERVER_READY, false, "ServerStepFailed", message);
      return Pass.retry(message);
    }

    if (users != null) {
      status.running(AccessUsersStep.USERS_READY);
      try {
        users.run(
            repository,
            inputs,
            server.plan(),
            serving,
            kopia.kopia(repository, inputs),
            kopia.observed(repository).map(ManifestDigests::users),
            status);
      } catch (RuntimeException e) {
        // The users step owns UsersReady: a serving server stays ServerReady.
        String message =
            "the users step failed: " + io.kanister.kopia.operator.users.FailureReasons.describe(e);
        status.set(AccessUsersStep.USERS_READY, false, "UsersStepFailed", message);
        return Pass.retry(message);
      }
    }
    Duration next = serving ? resyncPeriod : SERVER_STARTING_RECHECK;
    Optional<Duration> asked = status.requeueAfter();
    return Pass.after(asked.filter(d -> d.compareTo(next) < 0).orElse(next));
  }

  /** A server object's name is taken by someone else's object: report it, never take it over. */
  private Pass nameConflict(
      Repository repository, RepositoryConditions status, ForeignObjectException e) {
    status.set(SERVER_READY, false, "NameConflict", e.getMessage());
    events.warning(repository, "NameConflict", e.getMessage());
    // No name in status yet: it was chosen while another Repository for the same namespace was
    // still choosing its own, and the next pass may choose differently; look again soon.
    boolean unnamed = repository.getStatus() == null || repository.getStatus().getServer() == null;
    return Pass.after(unnamed ? SERVER_STARTING_RECHECK : INPUT_PROBLEM_RECHECK);
  }

  /** Another, older Repository uses this storage: this one writes and serves nothing. */
  private Pass storageInUse(
      Repository repository, Repository holder, StorageKey storage, RepositoryConditions status) {
    String message = StorageClaims.message(holder, storage);
    status.set(REPOSITORY_READY, false, StorageClaims.REASON, message);
    status.unknown(SERVER_READY, "WaitingForRepository", "the repository is not ready");
    events.warning(repository, StorageClaims.REASON, message);
    return Pass.after(INPUT_PROBLEM_RECHECK);
  }

  private Optional<Pass> syncKopia(
      Repository repository, RepositoryInputs inputs, RepositoryConditions status)
      throws java.io.IOException {
    String where = inputs.location().storage().displayName();
    try {
      KopiaRepositorySync.Outcome outcome = kopia.sync(repository, inputs);
      if (outcome.refusal().isPresent()) {
        KopiaSyncReport.refused(repository, outcome.refusal().get(), status, events);
        return Optional.of(Pass.after(INPUT_PROBLEM_RECHECK));
      }
      status.identity(outcome.identity());
      if (outcome.skipped()) {
        status.set(REPOSITORY_READY, true, "Ready", "repository at " + where + " is connected");
        KopiaSyncReport.policies(
            repository, outcome.policies().orElseThrow(), status, events, true);
        return Optional.empty();
      }
      EnsureOutcome ensured = outcome.ensured().orElseThrow();
      String reason = ensured == EnsureOutcome.CREATED ? "Created" : "Connected";
      status.set(
          REPOSITORY_READY,
          true,
          reason,
          "repository at "
              + where
              + " is "
              + (ensured == EnsureOutcome.CREATED ? "created" : "connected"));
      if (ensured == EnsureOutcome.CREATED) {
        events.normal(
            repository, "RepositoryCreated", "created a new Kopia repository at " + where);
      }
      KopiaSyncReport.policies(repository, outcome.policies().orElseThrow(), status, events, false);
      return Optional.empty();
    } catch (KopiaException e) {
      kopia.invalidate(repository);
      status.unknown(SERVER_READY, "WaitingForRepository", "the repository is not ready");
      if (e.kind() == KopiaErrorKind.INVALID_PASSWORD) {
        String message =
            "the password in Secret "
                + repository.getMetadata().getNamespace()
                + "/"
                + repository.getSpec().getLocation().getSecretName()
                + " (key "
                + LocationSecretParser.REPO_PASSWORD
                + ") does not open the existing repository at "
                + where
                + ". Fix the Secret; nothing was changed.";
        status.set(REPOSITORY_READY, false, "InvalidPassword", message);
        events.warning(repository, "InvalidPassword", message);
        return Optional.of(Pass.after(INPUT_PROBLEM_RECHECK));
      }
      String message = "kopia failed for the repository at " + where + ": " + e.getMessage();
      String reason = reasonFor(e.kind());
      status.set(REPOSITORY_READY, false, reason, message);
      events.warning(repository, reason, message);
      return Optional.of(Pass.retry(message));
    }
  }

  private boolean serverReady(
      Repository repository,
      ServerObjects.Applied server,
      RepositoryInputs inputs,
      RepositoryConditions status) {
    Deployment deployment = server.deployment();
    if (!rolledOut(deployment)) {
      status.set(
          SERVER_READY,
          false,
          "Starting",
          "waiting for Deployment " + deployment.getMetadata().getName() + " to become available");
      return false;
    }
    ServerPlan plan = server.plan();
    ServerControlProbe.Outcome outcome =
        probe.probe(
            plan.serviceHost(),
            plan.port(),
            inputs.tls().fingerprint(),
            inputs.admin().controlUsername(),
            inputs.admin().controlPassword());
    String key = java.util.Objects.requireNonNullElse(repository.getMetadata().getUid(), "");
    if (!outcome.serving()) {
      HungServerRemedy.Action action = hungServers.notAnswering(key, deployment);
      status.set(SERVER_READY, false, "NotServing", outcome.detail() + action.note());
      if (action.restarted()) {
        events.warning(repository, "ServerRestarted", "the Kopia server" + action.note());
      }
      return false;
    }
    hungServers.answering(key);
    boolean wasReady =
        repository.getStatus() != null
            && repository
                .getStatus()
                .condition(SERVER_READY)
                .map(c -> "True".equals(c.getStatus()))
                .orElse(false);
    if (!wasReady) {
      events.normal(
          repository, "ServerReady", "the Kopia server serves the repository at " + plan.url());
    }
    status.set(SERVER_READY, true, "Serving", outcome.detail());
    return true;
  }

  /**
   * The current template runs and is available. Right after a patch the status still describes the
   * old pod, so the Deployment controller must have observed the new generation first.
   */
  private static boolean rolledOut(Deployment deployment) {
    var status = deployment.getStatus();
    if (status == null) {
      return false;
    }
    Long generation = deployment.getMetadata().getGeneration();
    boolean observed =
        generation == null
            || (status.getObservedGeneration() != null
                && status.getObservedGeneration() >= generation);
    return observed
        && status.getUpdatedReplicas() != null
        && status.getUpdatedReplicas() >= 1
        && status.getAvailableReplicas() != null
        && status.getAvailableReplicas() >= 1;
  }

  /** An API error's message names objects and fields; kopia errors are already secret-free. */
  private static String safeMessage(RuntimeException e) {
    return e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
        ? "Kubernetes API error "
            + k.getCode()
            + ": "
            + (k.getStatus() == null ? k.getClass().getSimpleName() : k.getStatus().getMessage())
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private Result cleanUp(Repository repository) {
    if (!Finalizers.has(repository, FINALIZER)) {
      return Result.done();
    }
    try {
      return removeServer(repository);
    } catch (RuntimeException e) {
      // A deletion that cannot finish (RBAC, a webhook, an API outage) would otherwise retry with
      // nothing in status: the user sees a Repository stuck in Terminating and no reason.
      String message =
          "deleting the server objects failed, retried with backoff: "
              + io.kanister.kopia.operator.users.FailureReasons.describe(e);
      RepositoryConditions status = new RepositoryConditions();
      status.set(SERVER_READY, false, DELETION_FAILED, message);
      events.warning(repository, DELETION_FAILED, message);
      try {
        writeStatus(repository, status);
      } catch (RuntimeException statusFailure) {
        e.addSuppressed(statusFailure);
      }
      throw e;
    }
  }

  private Result removeServer(Repository repository) {
    String serviceName =
        repository.getStatus() != null && repository.getStatus().getServer() != null
            ? repository.getStatus().getServer().getServiceName()
            : ServerNaming.serviceName(repository, repositories.list());
    List<String> removed = serverObjects.delete(repository, serviceName);
    kopia.forget(repository);
    hungServers.forget(java.util.Objects.requireNonNullElse(repository.getMetadata().getUid(), ""));
    forgetHooks.forEach(hook -> hook.accept(repository));
    events.normal(
        repository,
        "ServerRemoved",
        (removed.isEmpty()
                ? "no server objects were left"
                : "removed " + String.join(", ", removed))
            + "; the repository data in storage was kept and still opens with its password");
    finalizers.remove(repository, FINALIZER);
    return Result.done();
  }

  private void writeStatus(Repository repository, RepositoryConditions status) {
    Long observed = repository.getMetadata().getGeneration();
    statusWriter.update(repository, r -> status.applyTo(r, clock, observed));
  }

  private static String reasonFor(KopiaErrorKind kind) {
    return switch (kind) {
      case STORAGE_UNREACHABLE -> "StorageUnreachable";
      case ACCESS_DENIED -> "StorageAccessDenied";
      case TIMEOUT -> "KopiaTimeout";
      case BAD_ARGUMENTS -> "OperatorBug";
      default -> "KopiaFailed";
    };
  }
}
