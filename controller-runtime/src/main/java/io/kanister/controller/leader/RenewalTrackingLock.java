package io.kanister.controller.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A Lease lock that remembers when this process last wrote itself into the Lease as holder, on the
 * monotonic clock. fabric8 offers no renew callback, and its own renew-deadline check runs only
 * between API calls (a hung call delays it by the client's request timeout), so the fence needs its
 * own record of the last renewal the API server accepted.
 *
 * <p>The instant kept is the record's {@code renewTime} (taken by fabric8 before the round's first
 * API call), not the moment the write returned: a rival may take over once {@code renewTime +
 * leaseDuration} has passed, so that is the instant every deadline must count from.
 */
final class RenewalTrackingLock implements Lock {
  private final Lock delegate;
  private final LongSupplier nanoTime;
  private final AtomicLong confirmedAt = new AtomicLong(Long.MIN_VALUE);

  RenewalTrackingLock(Lock delegate, LongSupplier nanoTime) {
    this.delegate = delegate;
    this.nanoTime = nanoTime;
  }

  /** Monotonic nanos of the last accepted renewal's {@code renewTime}; MIN_VALUE if none. */
  long confirmedAt() {
    return confirmedAt.get();
  }

  @Override
  public LeaderElectionRecord get(KubernetesClient client) {
    return delegate.get(client);
  }

  @Override
  public void create(KubernetesClient client, LeaderElectionRecord record) {
    long renewedAt = monotonicRenewTime(record);
    delegate.create(client, record);
    confirm(record, renewedAt);
  }

  @Override
  public void update(KubernetesClient client, LeaderElectionRecord record) {
    long renewedAt = monotonicRenewTime(record);
    delegate.update(client, record);
    confirm(record, renewedAt);
  }

  @Override
  public String identity() {
    return delegate.identity();
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  private void confirm(LeaderElectionRecord record, long renewedAt) {
    if (identity().equals(record.getHolderIdentity())) {
      confirmedAt.accumulateAndGet(renewedAt, Math::max);
    }
  }

  /** The record's wall-clock renewTime moved onto the monotonic clock (never later than now). */
  private long monotonicRenewTime(LeaderElectionRecord record) {
    long now = nanoTime.getAsLong();
    if (record.getRenewTime() == null) {
      return now;
    }
    Duration age = Duration.between(record.getRenewTime(), ZonedDateTime.now(ZoneOffset.UTC));
    return now - Math.max(0, age.toNanos());
  }
}
