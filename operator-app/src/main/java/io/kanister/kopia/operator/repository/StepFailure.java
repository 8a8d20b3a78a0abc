package io.kanister.kopia.operator.repository;

import io.kanister.kopia.operator.users.FailureReasons;

/**
 * What a pass reports when a step throws something it did not expect (a bug, a checked exception,
 * an {@link Error}): the condition of the step that was running says {@code ReconcileFailed} and
 * what was thrown, so status never keeps an earlier, happier answer while the pass retries.
 */
final class StepFailure {
  static final String REASON = "ReconcileFailed";

  private StepFailure() {}

  /** Sets the running step's condition to False and returns the (secret-free, bounded) message. */
  static String report(RepositoryConditions status, Throwable thrown) {
    String step = status.running();
    String message =
        "the "
            + step
            + " step failed unexpectedly: "
            + FailureReasons.describe(thrown)
            + "; retrying with backoff";
    status.set(step, false, REASON, message);
    return message;
  }

  /**
   * Errors worth a status write and a retry. Out of memory (and the JVM's internal errors) are not:
   * the process is not fit to go on, so they are left to end the reconcile as they are.
   */
  static boolean reportable(Error error) {
    return !(error instanceof VirtualMachineError) || error instanceof StackOverflowError;
  }
}
