package io.kanister.kopia.operator.server;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * The server container's liveness probe: {@code GET /metrics} on kopia's metrics listener. A frozen
 * kopia (SIGSTOP, a deadlocked process) still passes a TCP probe, because the kernel completes the
 * handshake for a process that never runs; only a kopia that runs answers HTTP.
 *
 * <p>Timing: a probe every 5 s, 4 s to answer (kopia renders the page in milliseconds; the
 * kubelet's 1 s default is what a loaded node misses), and 4 failures in a row, so a healthy server
 * is killed only after about 20 s without a single answer, while a frozen one fails its fourth
 * probe 15-24 s after the freeze. The kill then waits 10 s, not the pod's 30 s grace: a frozen
 * process cannot act on SIGTERM, and a running kopia shuts down within its own 5 s grace. So the
 * kubelet restarts a frozen server 25-35 s after the freeze. The first probe waits 10 s: kopia
 * opens its metrics listener before the repository, 1-2 s after start.
 */
final class ServerLivenessProbe {
  static final int PERIOD_SECONDS = 5;
  static final int TIMEOUT_SECONDS = 4;
  static final int FAILURE_THRESHOLD = 4;
  static final long KILL_GRACE_SECONDS = 10;
  static final int INITIAL_DELAY_SECONDS = 10;

  private ServerLivenessProbe() {}

  static Probe of(int metricsPort) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath("/metrics")
        .withPort(new IntOrString(metricsPort))
        .withScheme("HTTP")
        .endHttpGet()
        .withInitialDelaySeconds(INITIAL_DELAY_SECONDS)
        .withPeriodSeconds(PERIOD_SECONDS)
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .withFailureThreshold(FAILURE_THRESHOLD)
        .withTerminationGracePeriodSeconds(KILL_GRACE_SECONDS)
        .build();
  }
}
