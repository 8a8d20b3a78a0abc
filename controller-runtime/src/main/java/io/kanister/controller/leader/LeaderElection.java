package io.kanister.controller.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kanister.controller.logging.ScrubbedException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for a Lease with fabric8's {@code LeaderElector}. Gaining the Lease runs {@code
 * onStartedLeading}; losing it while running runs {@code onLostLeadership} once (the runtime stops
 * its reconcilers and ends the process there). {@link #close()} releases the Lease so that a
 * successor does not wait for it to expire.
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
    var config =
        new LeaderElectionConfigBuilder()
            .withName(settings.leaseName())
            .withLock(
                new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
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

  private void newLeader(String identity) {
    LOG.info("lease {} is now held by {} (seen by {})", describe(), identity, settings.identity());
  }

  private String describe() {
    return settings.leaseNamespace() + "/" + settings.leaseName();
  }
}
