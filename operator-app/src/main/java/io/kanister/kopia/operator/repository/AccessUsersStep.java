package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ServerCredentials;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.export.WorkloadReexport;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.server.ServerPlan;
import io.kanister.kopia.operator.users.AccessUsers;
import io.kanister.kopia.operator.users.AccessUsers.UsersOutcome;
import io.kanister.kopia.operator.users.ConvergenceResult;
import io.kanister.kopia.operator.users.UsersConverger.KopiaServerRefresher;
import io.kanister.kopia.operator.workload.WorkloadSource;
import io.kanister.kopia.operator.workload.WorkloadSource.Workload;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's access users (predefined from access Secrets, dynamic from labelled workloads)
 * converge once the server serves, followed by one refresh; {@code UsersReady} and {@code
 * status.users} report the result.
 */
public final class AccessUsersStep {
  static final String USERS_READY = "UsersReady";

  /**
   * How soon a pass whose users failed for a reason of the moment, or whose client files were not
   * re-exported, is tried again: not at the next resync, 10 minutes later by default.
   */
  static final Duration RETRY_SOON = Duration.ofSeconds(30);

  private final AccessUsers users;
  private final WorkloadSource workloads;
  private final WorkloadReexport reexport;
  private final KopiaRunner runner;
  private final ServerEndpointResolver endpoints;
  private final Clock clock;

  public AccessUsersStep(
      AccessUsers users,
      WorkloadSource workloads,
      WorkloadReexport reexport,
      KopiaRunner runner,
      ServerEndpointResolver endpoints,
      Clock clock) {
    this.users = users;
    this.workloads = workloads;
    this.reexport = reexport;
    this.runner = runner;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  private List<WorkloadReexport.DynamicUser> dynamicUsers(String namespace) {
    List<WorkloadReexport.DynamicUser> dynamic = new ArrayList<>();
    for (Workload workload : workloads.labelledWorkloads(namespace)) {
      try {
        dynamic.add(
            new WorkloadReexport.DynamicUser(
                workload.kind(), workload.namespace(), workload.name(), workload.kopiaUsername()));
      } catch (IllegalArgumentException unusableName) {
        // reported by the user sync already
      }
    }
    return dynamic;
  }

  /**
   * Converges the users once the server serves and reports {@code UsersReady}; throws only for
   * failures worth a retry with backoff.
   *
   * @param userManifests the digest of the user manifests this pass listed: while it and the
   *     desired users are unchanged since the last quiet convergence, kopia is not read
   */
  public void run(
      Repository repository,
      RepositoryInputs inputs,
      ServerPlan plan,
      boolean serverServing,
      Kopia kopia,
      java.util.Optional<String> userManifests,
      RepositoryConditions status) {
    if (!serverServing) {
      status.unknown(
          USERS_READY, "WaitingForServer", "users are registered once the server serves");
      return;
    }
    String target = repository.getSpec().getTargetNamespace();
    var credentials =
        new ServerCredentials(
            inputs.admin().username(),
            inputs.admin().password(),
            inputs.admin().controlUsername(),
            inputs.admin().controlPassword());
    String url = "https://" + endpoints.resolve(plan.serviceHost(), plan.port());
    UsersOutcome outcome =
        users.reconcile(
            repository,
            target == null ? AccessUsers.GLOBAL_USERS_NAMESPACE : target,
            kopia,
            new KopiaServerRefresher(runner, url, inputs.tls().fingerprint(), credentials),
            userManifests);
    ConvergenceResult result = outcome.result();
    status.users(result.toStatus());
    status.set(USERS_READY, result.ready(), result.reason(), result.summary());
    if (result.worthRetryingSoon()) {
      status.requeueNoLaterThan(RETRY_SOON);
    }
    String undelivered = "";
    if (result.refreshProblem().isEmpty()) {
      try {
        // Looks workloads up (the API may refuse): inside the try, like the re-export.
        undelivered =
            target == null
                ? ""
                : WorkloadReexport.undeliveredNote(
                    reexport.withoutExportPath(dynamicUsers(target)));
        status.set(USERS_READY, result.ready(), result.reason(), result.summary() + undelivered);
        // Files export-client wrote follow a certificate renewal.
        RuntimeException recordedFailed = null;
        try {
          reexport.followRecordedExports(repository, users::currentPassword);
        } catch (RuntimeException e) {
          recordedFailed = e; // the dynamic users' pods still get their files in this pass
        }
        if (target != null) {
          // Dynamic users learn their (rotated) tokens only through these files.
          reexport.reexport(repository, dynamicUsers(target), users::currentPassword);
        } else {
          // Global mode's shared credential reaches its readers through a Secret.
          reexport.publishGlobal(
              repository, dynamicUsers(AccessUsers.GLOBAL_USERS_NAMESPACE), users::currentPassword);
        }
        if (recordedFailed != null) {
          throw recordedFailed;
        }
      } catch (RuntimeException e) {
        // The users are registered; their client files are not: say so, and try again soon.
        String message =
            result.summary()
                + undelivered
                + "; re-exporting client files failed: "
                + io.kanister.kopia.operator.users.FailureReasons.describe(e);
        // A users failure already named keeps its reason; the message tells both.
        status.set(
            USERS_READY, false, result.ready() ? "ReexportFailed" : result.reason(), message);
        status.requeueNoLaterThan(RETRY_SOON);
      }
    }
    outcome
        .requeueAfter(clock.instant())
        .ifPresent(
            next ->
                status.requeueNoLaterThan(
                    next.isNegative() || next.isZero() ? Duration.ofSeconds(1) : next));
  }
}
