package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.operator.tokens.ServiceAccountTokens;
import io.kanister.kopia.operator.tokens.TokenIssuer.IssuedToken;
import io.kanister.kopia.operator.tokens.TokenIssuer.TokenIssueException;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.operator.workload.WorkloadSource;
import io.kanister.kopia.operator.workload.WorkloadSource.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users of labelled workloads: {@code <serviceAccount>@<namespace>.<workload>}, whose password
 * is a token of that ServiceAccount. A workload whose ServiceAccount gets no token fails alone, and
 * its user is held with its last token (a passing API error must not end a backup); only a deleted
 * (or unlabelled) workload loses its user.
 */
public final class DynamicUsers {
  private final WorkloadSource workloads;
  private final ServiceAccountTokens tokens;

  public DynamicUsers(WorkloadSource workloads, ServiceAccountTokens tokens) {
    this.workloads = workloads;
    this.tokens = tokens;
  }

  public DesiredUsers compute(String targetNamespace) {
    List<Workload> labelled;
    try {
      labelled = workloads.labelledWorkloads(targetNamespace);
    } catch (RuntimeException e) {
      // Keep every token: the next list may succeed, and an unknown workload is not a deleted one.
      return DesiredUsers.held(
          new UserFailure(
              targetNamespace,
              FailureReasons.WORKLOAD_LIST_FAILED,
              "the labelled workloads of namespace "
                  + targetNamespace
                  + " could not be listed ("
                  + FailureReasons.describe(e)
                  + "); check the operator's access to StatefulSets, Deployments and DaemonSets"
                  + " there"
                  + PredefinedUsers.KEPT),
          ManagedUsers.ALL_WORKLOADS);
    }
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    List<UserFailure> failures = new ArrayList<>();
    Set<String> holds = new LinkedHashSet<>();
    Set<ServiceAccountTokens.Account> inUse = new HashSet<>();
    for (Workload workload : labelled) {
      String origin = ManagedUsers.workloadOrigin(workload.kind(), workload.name());
      KopiaUsername username;
      try {
        username = workload.kopiaUsername();
      } catch (IllegalArgumentException e) {
        holds.add(origin);
        failures.add(
            new UserFailure(
                workload.describe(),
                FailureReasons.INVALID_USERNAME,
                workload.describe() + ": " + e.getMessage()));
        continue;
      }
      if (users.containsKey(username)) {
        DesiredUser served = users.get(username);
        failures.add(
            DesiredUsers.duplicate(
                new DesiredUser(username, null, workload.describe(), origin), served));
        continue;
      }
      inUse.add(new ServiceAccountTokens.Account(workload.namespace(), workload.serviceAccount()));
      try {
        IssuedToken token = tokens.current(workload.namespace(), workload.serviceAccount());
        users.put(username, new DesiredUser(username, token.token(), workload.describe(), origin));
      } catch (TokenIssueException e) {
        holds.add(origin);
        failures.add(new UserFailure(username.value(), e.reason(), e.getMessage() + HELD));
      } catch (RuntimeException e) {
        holds.add(origin);
        failures.add(
            new UserFailure(
                username.value(),
                FailureReasons.TOKEN_REQUEST_FAILED,
                "no token for ServiceAccount "
                    + workload.namespace()
                    + "/"
                    + workload.serviceAccount()
                    + " ("
                    + FailureReasons.describe(e)
                    + ")"
                    + HELD));
      }
    }
    tokens.retainOnly(inUse);
    return new DesiredUsers(users, failures, holds);
  }

  private static final String HELD = "; until a token is issued, the user keeps its last one";

  /** When the next token rotation is due; the reconciler requeues for then. */
  public Optional<Instant> nextRotation() {
    return tokens.nextRotation();
  }
}
