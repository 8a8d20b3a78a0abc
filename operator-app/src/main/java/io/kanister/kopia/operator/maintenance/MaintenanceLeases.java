package io.kanister.kopia.operator.maintenance;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.model.repository.Repository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coordination.k8s.io Lease per Repository ({@code kopia-maintenance-<name>}, beside the
 * Repository), held while a maintenance run is in progress. It keeps a second operator replica, or
 * a new leader after a failover, from starting a run while one may still be running: a holder that
 * stops renewing (crashed, partitioned) loses it after the lease duration, and its run was
 * cancelled by then (see {@link MaintenanceExecutor}).
 *
 * <p>Every write carries the resourceVersion it read, so two replicas racing for a free Lease
 * cannot both win: the API server refuses the second with 409.
 */
final class MaintenanceLeases implements MaintenanceLock {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceLeases.class);
  static final String PREFIX = "kopia-maintenance-";
  private static final int MAX_NAME = 253;

  private final KubernetesClient client;
  private final String holder;
  private final Duration duration;
  private final Clock clock;

  MaintenanceLeases(KubernetesClient client, String holder, Duration duration, Clock clock) {
    this.client = client;
    this.holder = holder;
    this.duration = duration;
    this.clock = clock;
  }

  @Override
  public Attempt tryAcquire(Repository repository) {
    String namespace = repository.getMetadata().getNamespace();
    String name = leaseName(repository.getMetadata().getName());
    Lease existing = client.leases().inNamespace(namespace).withName(name).get();
    try {
      if (existing == null) {
        Lease created =
            client.leases().inNamespace(namespace).resource(newLease(repository, name)).create();
        return new Attempt(Optional.of(new HeldLease(created)), null);
      }
      String current = existing.getSpec() == null ? null : existing.getSpec().getHolderIdentity();
      if (current != null && !current.isEmpty() && !current.equals(holder) && !expired(existing)) {
        return new Attempt(Optional.empty(), current);
      }
      Instant now = clock.instant();
      existing.getSpec().setHolderIdentity(holder);
      existing.getSpec().setLeaseDurationSeconds((int) duration.toSeconds());
      existing.getSpec().setAcquireTime(microTime(now));
      existing.getSpec().setRenewTime(microTime(now));
      Lease taken = client.leases().inNamespace(namespace).resource(existing).update();
      return new Attempt(Optional.of(new HeldLease(taken)), null);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // Another replica won the race for it just now.
        return new Attempt(Optional.empty(), "another operator replica");
      }
      throw e;
    }
  }

  /** Who holds the Repository's maintenance Lease now, if anyone does and it has not expired. */
  Optional<String> currentHolder(Repository repository) {
    Lease lease =
        client
            .leases()
            .inNamespace(repository.getMetadata().getNamespace())
            .withName(leaseName(repository.getMetadata().getName()))
            .get();
    if (lease == null || lease.getSpec() == null || expired(lease)) {
      return Optional.empty();
    }
    return Optional.ofNullable(lease.getSpec().getHolderIdentity()).filter(h -> !h.isEmpty());
  }

  /** A Lease this process holds. */
  final class HeldLease implements Held {
    private volatile Lease lease;

    private HeldLease(Lease lease) {
      this.lease = lease;
    }

    /** Renews it; false when it is no longer ours (taken, deleted) or the API refused. */
    @Override
    public synchronized boolean renew() {
      try {
        Lease copy = new LeaseBuilder(lease).build();
        copy.getSpec().setRenewTime(microTime(clock.instant()));
        lease = client.leases().inNamespace(namespace()).resource(copy).update();
        return holder.equals(lease.getSpec().getHolderIdentity());
      } catch (KubernetesClientException e) {
        LOG.warn("cannot renew Lease {}: API error {}", name(), e.getCode());
        return false;
      }
    }

    /** Gives it up at once, so the next run need not wait for it to expire. */
    @Override
    public synchronized void release() {
      try {
        Lease copy = new LeaseBuilder(lease).build();
        copy.getSpec().setHolderIdentity(null);
        copy.getSpec().setRenewTime(null);
        copy.getSpec().setAcquireTime(null);
        client.leases().inNamespace(namespace()).resource(copy).update();
      } catch (KubernetesClientException e) {
        // Not fatal: it expires after its duration.
        LOG.warn("cannot release Lease {}: API error {}", name(), e.getCode());
      }
    }

    @Override
    public String name() {
      return lease.getMetadata().getName();
    }

    private String namespace() {
      return lease.getMetadata().getNamespace();
    }
  }

  private Lease newLease(Repository repository, String name) {
    Instant now = clock.instant();
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(repository.getMetadata().getNamespace())
        .addToLabels("app.kubernetes.io/managed-by", "kopia-operator")
        .addToLabels("app.kubernetes.io/component", "maintenance")
        // Garbage-collected with the Repository; not a controller reference, nothing watches it.
        .addToOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(repository.getApiVersion())
                .withKind(repository.getKind())
                .withName(repository.getMetadata().getName())
                .withUid(repository.getMetadata().getUid())
                .build())
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withLeaseDurationSeconds((int) duration.toSeconds())
        .withAcquireTime(microTime(now))
        .withRenewTime(microTime(now))
        .endSpec()
        .build();
  }

  private boolean expired(Lease lease) {
    var spec = lease.getSpec();
    if (spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
      return true;
    }
    Instant renewed = spec.getRenewTime().toInstant();
    return renewed.plusSeconds(spec.getLeaseDurationSeconds()).isBefore(clock.instant());
  }

  private static ZonedDateTime microTime(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }

  /** {@code kopia-maintenance-<name>}, or a hashed form when that is too long for a name. */
  static String leaseName(String repositoryName) {
    String name = PREFIX + repositoryName;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash = sha256(repositoryName).substring(0, 10);
    String cut = name.substring(0, MAX_NAME - hash.length() - 1).replaceAll("[.-]+$", "");
    return cut + "-" + hash;
  }

  // Not Sha256.hex: that one NUL-terminates its parts, and the Lease name must not change under an
  // operator that is being upgraded while the old version still holds it.
  private static String sha256(String text) {
    return HexFormat.of().formatHex(Sha256.of(text.getBytes(StandardCharsets.UTF_8)));
  }
}
