package io.kanister.kopia.operator.cli;

import io.kanister.kopia.model.repository.FailedUser;
import io.kanister.kopia.model.repository.MaintenanceRunStatus;
import io.kanister.kopia.model.repository.MaintenanceStatus;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.ServerStatus;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.model.status.Condition;
import java.io.PrintStream;
import java.time.Instant;

/** The view of one Repository: every condition in full, server, users and maintenance. */
final class StatusDetail {
  private StatusDetail() {}

  static void print(RepositoryState state, Instant now, PrintStream out) {
    RepositoryStatus status = state.status();
    out.println("Repository:   " + state.namespace() + "/" + state.name());
    out.println("Target:       " + state.target());
    out.println("Age:          " + state.age(now));
    out.println("Ready:        " + (state.ready() ? "yes" : "no") + readyNote(state));
    out.println(
        "Generation:   "
            + orNone(state.repository().getMetadata().getGeneration())
            + " (status observed "
            + orNone(status.getObservedGeneration())
            + ")");
    out.println();
    out.println("Conditions:");
    if (status.getConditions().isEmpty()) {
      out.println("  (none yet: the operator has not reconciled this Repository)");
    }
    for (Condition c : status.getConditions()) {
      out.println(
          "  "
              + c.getType()
              + "="
              + c.getStatus()
              + "  reason="
              + RepositoryState.orNone(c.getReason())
              + "  since="
              + RepositoryState.orNone(c.getLastTransitionTime()));
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        out.println("    " + RepositoryState.oneLine(c.getMessage()));
      }
    }
    out.println();
    ServerStatus server = status.getServer();
    out.println("Server:");
    out.println(
        "  URL:          " + (server == null ? "-" : RepositoryState.orNone(server.getUrl())));
    out.println(
        "  Fingerprint:  "
            + (server == null ? "-" : RepositoryState.orNone(server.getCertificateFingerprint())));
    out.println(
        "  Service:      "
            + (server == null ? "-" : RepositoryState.orNone(server.getServiceName())));
    out.println();
    users(status.getUsers(), state, out);
    out.println();
    maintenance(status.getMaintenance(), out);
  }

  private static String readyNote(RepositoryState state) {
    if (state.stale()) {
      return " (the status describes an older generation; the operator has not caught up)";
    }
    if (state.ready() && state.degraded()) {
      return " (degraded: failed users or unhealthy maintenance)";
    }
    return "";
  }

  private static void users(UsersStatus users, RepositoryState state, PrintStream out) {
    out.println("Users:");
    if (users == null) {
      out.println("  (not reported yet)");
      return;
    }
    out.println("  Registered:   " + orNone(users.getRegistered()));
    out.println("  Desired:      " + orNone(users.getDesired()));
    out.println("  Failed:       " + state.failedUsers());
    for (FailedUser failed : users.getFailed()) {
      out.println(
          "    "
              + RepositoryState.orNone(failed.getUsername())
              + "  "
              + RepositoryState.orNone(failed.getReason())
              + ": "
              + RepositoryState.oneLine(RepositoryState.orNone(failed.getMessage())));
    }
    if (state.failedUsers() > users.getFailed().size()) {
      out.println("    (" + (state.failedUsers() - users.getFailed().size()) + " more not listed)");
    }
  }

  private static void maintenance(MaintenanceStatus maintenance, PrintStream out) {
    out.println("Maintenance:");
    if (maintenance == null) {
      out.println("  (not reported yet)");
      return;
    }
    out.println("  Owner:        " + RepositoryState.orNone(maintenance.getOwner()));
    out.println("  By operator:  " + orNone(maintenance.getOwnedByOperator()));
    if (maintenance.getRunning() != null) {
      out.println("  Running:      " + maintenance.getRunning());
    }
    out.println("  Last quick:   " + run(maintenance.getLastQuick()));
    out.println("  Last full:    " + run(maintenance.getLastFull()));
    out.println("  Next quick:   " + RepositoryState.orNone(maintenance.getNextQuick()));
    out.println("  Next full:    " + RepositoryState.orNone(maintenance.getNextFull()));
  }

  private static String run(MaintenanceRunStatus run) {
    if (run == null) {
      return "-";
    }
    String text =
        RepositoryState.orNone(run.getResult())
            + "  start="
            + RepositoryState.orNone(run.getStart())
            + "  end="
            + RepositoryState.orNone(run.getEnd());
    return run.getMessage() == null || run.getMessage().isBlank()
        ? text
        : text + "  (" + RepositoryState.oneLine(run.getMessage()) + ")";
  }

  private static String orNone(Object value) {
    return value == null ? "-" : value.toString();
  }
}
