package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.user.KopiaUsername;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users of labelled workloads: {@code <serviceAccount>@<namespace>.<workload>}, whose password
 * is a token of that ServiceAccount. A workload whose ServiceAccount gets no token fails alone.
 */
public final class DynamicUsers {
  private final WorkloadSource workloads;
  private final ServiceAccountTokens tokens;

  public DynamicUsers(WorkloadSource workloads, ServiceAccountTokens tokens) {
    this.workloads = workloads;
    this.tokens = tokens;
  }

  public DesiredUsers compute(String targetNamespace) {
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    List<UserFailure> failures = new ArrayList<>();
    Set<ServiceAccountTokens.Account> inUse = new HashSet<>();
    for (Workload workload : workloads.labelledWorkloads(targetNamespace)) {
      KopiaUsername username;
      try {
        username = workload.kopiaUsername();
      } catch (IllegalArgumentException e) {
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
            DesiredUsers.duplicate(new DesiredUser(username, null, workload.describe()), served));
        continue;
      }
      inUse.add(new ServiceAccountTokens.Account(workload.namespace(), workload.serviceAccount()));
      try {
        IssuedToken token = tokens.current(workload.namespace(), workload.serviceAccount());
        users.put(username, new DesiredUser(username, token.token(), workload.describe()));
      } catch (TokenIssueException e) {
        failures.add(new UserFailure(username.value(), e.reason(), e.getMessage()));
      }
    }
    tokens.retainOnly(inUse);
    return new DesiredUsers(users, failures);
  }

  /** When the next token rotation is due; the reconciler requeues for then. */
  public Optional<Instant> nextRotation() {
    return tokens.nextRotation();
  }
}
