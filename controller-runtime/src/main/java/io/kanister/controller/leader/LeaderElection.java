package io.kanister.controller.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kanister.controller.logging.ScrubbedException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for a Lease with fabric8's {@code LeaderElector}. Gaining the Lease runs {@code
 * onStartedLeading}; losing it while running runs {@code onLostLeadership} once (the runtime stops
 * its reconcilers and ends the process there). {@link #close()} releases the Lease so that a
 * successor does not wait for it to expire.
 *
 * <p>Fencing: a watchdog declares leadership lost as soon as {@code renewDeadline} has passed since
 * the {@code renewTime} of the last renewal the API server accepted, whatever fabric8's renew loop
 * is doing (it checks its deadline only between API calls, so a hung call would delay it). A rival
 * can take the Lease only once {@code renewTime + leaseDuration} has passed, so the lost-leadership
 * callback starts at least {@code leaseDuration - renewDeadline - }{@link #watchPeriod()} before
 * any successor can lead: that margin is the time the callback has to stop every write.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final KubernetesClient client;
  private final LeaderElectionSettings settings;
  private final Runnable onStartedLeading;
  private final Runnable onLostLeadership;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();
  private CompletableFuture<?> election;
  private RenewalTrackingLock lock;
  private ScheduledExecutorService watchdog;

  public LeaderElection(
      KubernetesClient client,
      LeaderElectionSettings settings,
      Runnable onStartedLeading,
      Runnable onLostLeadership) {
    this.client = client;
    this.settings = settings;
    this.onStartedLeading = onStartedLeading;
    this.onLostLeadership = onLostLeadership;
  }

  public synchronized void start() {
    if (election != null) {
      return;
    }
    lock =
        new RenewalTrackingLock(
            new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()),
            System::nanoTime);
    var config =
        new LeaderElectionConfigBuilder()
            .withName(settings.leaseName())
            .withLock(lock)
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            .withReleaseOnCancel()
            .withLeaderCallbacks(
                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
            .build();
    LOG.info(
        "competing for lease {}/{} as {}",
        settings.leaseNamespace(),
        settings.leaseName(),
        settings.identity());
    election = client.leaderElector().withConfig(config).build().start();
    watchdog =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              var thread = new Thread(task, "lease-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    long period = watchPeriod().toNanos();
    watchdog.scheduleAtFixedRate(this::checkRenewDeadline, period, period, TimeUnit.NANOSECONDS);
    election.whenComplete(
        (ok, error) -> {
          // The elector ends by itself only when renewing failed; fabric8 has already called
          // onStopLeading then, this covers an error before leadership was ever reached.
          if (!closing.get() && error != null && !(error instanceof CancellationException)) {
            LOG.error(
                "leader election for lease {} failed", describe(), ScrubbedException.of(error));
          }
        });
  }

  public boolean isLeader() {
    return leading.get();
  }

  /** How often the watchdog compares the last accepted renewal with the renew deadline. */
  public Duration watchPeriod() {
    return watchPeriod(settings);
  }

  static Duration watchPeriod(LeaderElectionSettings settings) {
    Duration quarter = settings.retryPeriod().dividedBy(4);
    return quarter.compareTo(MAX_WATCH_PERIOD) < 0 ? quarter : MAX_WATCH_PERIOD;
  }

  private static final Duration MAX_WATCH_PERIOD = Duration.ofMillis(100);

  /** Time since the last renewal the API server accepted (its renewTime), if any. */
  public java.util.Optional<Duration> sinceLastRenewal() {
    long at = lock == null ? Long.MIN_VALUE : lock.confirmedAt();
    return at == Long.MIN_VALUE
        ? java.util.Optional.empty()
        : java.util.Optional.of(Duration.ofNanos(System.nanoTime() - at));
  }

  /** {@code namespace/name} of the Lease. */
  public String lease() {
    return describe();
  }

  public String identity() {
    return settings.identity();
  }

  /** Stops competing and, if leading, releases the Lease (fabric8's release-on-cancel). */
  @Override
  public void close() {
    CompletableFuture<?> running;
    synchronized (this) {
      running = election;
    }
    closing.set(true);
    if (watchdog != null) {
      watchdog.shutdownNow();
    }
    boolean wasLeading = leading.get();
    if (running != null) {
      running.cancel(true);
    }
    leading.set(false);
    if (wasLeading) {
      release();
    }
  }

  /**
   * Gives the Lease up now, so a standby takes over at once instead of after the lease duration.
   * fabric8 releases on cancel too, but asynchronously: a process exiting right after close() could
   * end before that write is sent.
   */
  private void release() {
    var leases =
        client.leases().inNamespace(settings.leaseNamespace()).withName(settings.leaseName());
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Lease lease = leases.get();
        if (lease == null || !settings.identity().equals(lease.getSpec().getHolderIdentity())) {
          return; // already released (by fabric8) or taken by another
        }
        lease.getSpec().setHolderIdentity(null);
        lease.getSpec().setLeaseDurationSeconds(1);
        leases.lockResourceVersion(lease.getMetadata().getResourceVersion()).replace(lease);
        LOG.info("released lease {} on shutdown", describe());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn("could not release lease {}: {}", describe(), ScrubbedException.describe(e));
          return;
        }
      }
    }
  }

  private void startedLeading() {
    if (closing.get() || !leading.compareAndSet(false, true)) {
      return;
    }
    LOG.info("became leader of lease {} as {}", describe(), settings.identity());
    onStartedLeading.run();
  }

  private void stoppedLeading() {
    boolean wasLeading = leading.getAndSet(false);
    if (closing.get()) {
      return;
    }
    if (wasLeading && lost.compareAndSet(false, true)) {
      onLostLeadership.run();
    }
  }

  /**
   * Leadership ends when the renew deadline has passed without an accepted renewal, even while a
   * renew call is still hanging: past that instant a rival may soon lead. The Lease is not released
   * here (that would hand it over before the callback has stopped this process's writes).
   */
  private void checkRenewDeadline() {
    if (!leading.get() || closing.get()) {
      return;
    }
    long confirmed = lock.confirmedAt();
    long silent = System.nanoTime() - confirmed;
    if (confirmed == Long.MIN_VALUE || silent <= settings.renewDeadline().toNanos()) {
      return;
    }
    if (leading.getAndSet(false) && lost.compareAndSet(false, true)) {
      LOG.error(
          "lease {}: no renewal accepted for {} ms (renew deadline {}); leadership is lost",
          describe(),
          TimeUnit.NANOSECONDS.toMillis(silent),
          settings.renewDeadline());
      try {
        onLostLeadership.run();
      } catch (RuntimeException e) {
        LOG.error("lost-leadership callback failed", ScrubbedException.of(e));
      }
    }
  }

  private void newLeader(String identity) {
    LOG.info("lease {} is now held by {} (seen by {})", describe(), identity, settings.identity());
  }

  private String describe() {
    return settings.leaseNamespace() + "/" + settings.leaseName();
  }
}
