package io.kanister.kopia.operator.export;

import io.kanister.controller.logging.SafeMessage;
import io.kanister.kopia.operator.users.FailureReasons;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The pods of one pass whose client files could not be written. One pod's failure never stops the
 * others; once all were tried, the pass reports them (so {@code UsersReady} says which pods hold
 * stale files) instead of leaving them to the log alone.
 */
final class PodExportFailures {
  /** Pods named in the message; the count covers the rest. */
  private static final int NAMED = 3;

  private final List<String> failures = new ArrayList<>();

  /** Logs and keeps one failure; {@code what} names the user and the pod, never a value. */
  void add(Logger log, String what, RuntimeException e) {
    String reason = FailureReasons.describe(e);
    log.warn("could not write client files for {}: {}", what, reason);
    failures.add(what + " (" + reason + ")");
  }

  /** Throws when any pod failed, naming up to three of them. */
  void throwIfAny() {
    if (failures.isEmpty()) {
      return;
    }
    String named = String.join("; ", failures.subList(0, Math.min(NAMED, failures.size())));
    throw new StaleClientFiles(
        failures.size()
            + " pod(s) kept stale client files: "
            + named
            + (failures.size() > NAMED ? "; ..." : "")
            + "; tried again on the next pass");
  }

  /** The message names users, pods and API errors; no value. */
  static final class StaleClientFiles extends RuntimeException implements SafeMessage {
    StaleClientFiles(String message) {
      super(message);
    }
  }
}
