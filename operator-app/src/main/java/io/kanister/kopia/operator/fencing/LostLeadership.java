package io.kanister.kopia.operator.fencing;

/**
 * What a leader does once it lost its Lease (docs/operator.md#fencing-a-lost-leader). By then
 * {@link FencedKopiaRunner#fence()} has killed its kopia children and the reconcilers are halted;
 * the process then halts at once, without shutdown hooks: a graceful shutdown would let threads
 * that ignore interrupts (the users pool, an exec upload of a re-export) keep writing for seconds
 * while a successor may already lead. Kubernetes restarts the container, which rejoins as a
 * standby.
 */
public final class LostLeadership {
  private LostLeadership() {}

  /** Ends the process now, with exit code 1. */
  public static void halt() {
    // The logger may buffer; this one line must reach the container log before the halt.
    System.err.println(
        "kopia-operator: lost leadership; kopia killed, halting so that a restart"
            + " rejoins the election");
    System.err.flush();
    Runtime.getRuntime().halt(1);
  }
}
