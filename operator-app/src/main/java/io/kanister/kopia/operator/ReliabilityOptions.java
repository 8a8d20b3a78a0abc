package io.kanister.kopia.operator;

import java.time.Duration;

/**
 * Leader election timing and the bounds on work (docs/operator.md#fencing-a-lost-leader,
 * #bounded-work).
 *
 * @param leaseDuration how long a Lease holder that stopped renewing keeps the Lease
 * @param renewDeadline how long the leader may go without an accepted renewal before it fences
 *     itself: kills its kopia children and exits
 * @param retryPeriod how often candidates try to acquire and the leader renews
 * @param passDeadline the longest one reconcile pass of a Repository may run
 * @param kopiaConcurrency kopia processes the operator runs at once, over all Repositories
 * @param kopiaPerRepository kopia processes one Repository may run at once
 * @param hungServerPatience how long a server's control API may stay silent while its pod runs
 *     before the operator deletes the pod (and the least time between two such restarts)
 */
public record ReliabilityOptions(
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration passDeadline,
    int kopiaConcurrency,
    int kopiaPerRepository,
    Duration hungServerPatience) {

  /** The default of {@code --hung-server-patience}. */
  public static final Duration DEFAULT_HUNG_SERVER_PATIENCE = Duration.ofMinutes(3);

  /** The bounds above with the default hung-server patience. */
  public ReliabilityOptions(
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      Duration passDeadline,
      int kopiaConcurrency,
      int kopiaPerRepository) {
    this(
        leaseDuration,
        renewDeadline,
        retryPeriod,
        passDeadline,
        kopiaConcurrency,
        kopiaPerRepository,
        DEFAULT_HUNG_SERVER_PATIENCE);
  }

  /**
   * The time a lost leader needs to stop every write: the watchdog's period (at most 100 ms), the
   * kill of its kopia children (500 ms at most), the halt of its reconcilers (300 ms), then the
   * process halts. {@code leaseDuration - renewDeadline} must leave at least this.
   */
  public static final Duration FENCE_BOUND = Duration.ofSeconds(1);

  /** The least {@code leaseDuration - renewDeadline} accepted: the fence bound, twice over. */
  public static final Duration MIN_FENCE_MARGIN = FENCE_BOUND.multipliedBy(2);

  public ReliabilityOptions {
    if (retryPeriod.isNegative() || retryPeriod.isZero()) {
      throw new IllegalArgumentException("--leader-retry-period must be positive");
    }
    if (renewDeadline.compareTo(retryPeriod) <= 0) {
      throw new IllegalArgumentException(
          "--leader-renew-deadline ("
              + renewDeadline.toMillis()
              + " ms) must be longer than --leader-retry-period ("
              + retryPeriod.toMillis()
              + " ms)");
    }
    if (leaseDuration.minus(renewDeadline).compareTo(MIN_FENCE_MARGIN) < 0) {
      throw new IllegalArgumentException(
          "--leader-lease-duration ("
              + leaseDuration.toMillis()
              + " ms) must exceed --leader-renew-deadline ("
              + renewDeadline.toMillis()
              + " ms) by at least "
              + MIN_FENCE_MARGIN.toMillis()
              + " ms: a leader that stops renewing needs that time to stop its writes before a"
              + " successor may start");
    }
    if (passDeadline.isNegative() || passDeadline.isZero()) {
      throw new IllegalArgumentException("--pass-deadline must be positive");
    }
    if (hungServerPatience.isNegative() || hungServerPatience.isZero()) {
      throw new IllegalArgumentException("--hung-server-patience must be positive");
    }
    if (kopiaConcurrency < 1 || kopiaPerRepository < 1) {
      throw new IllegalArgumentException(
          "--kopia-concurrency and --kopia-per-repository must be at least 1");
    }
    if (kopiaPerRepository > kopiaConcurrency) {
      throw new IllegalArgumentException(
          "--kopia-per-repository ("
              + kopiaPerRepository
              + ") cannot exceed --kopia-concurrency ("
              + kopiaConcurrency
              + ")");
    }
  }

  /**
   * client-go's election timing (15 s, 10 s, 2 s); a pass may run 10 minutes; 16 kopia processes, 8
   * per Repository (the users pool writes 8 users at once).
   */
  public static ReliabilityOptions defaults() {
    return new ReliabilityOptions(
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofMinutes(10),
        16,
        8);
  }
}
