package io.kanister.kopia.operator.metrics;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kanister.controller.cache.InformerCache;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.model.status.Condition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;

/**
 * Per-Repository gauges, read from the Repository cache when Prometheus scrapes, so they always
 * show the status the API server holds:
 *
 * <ul>
 *   <li>{@code kopia_repository_condition{repository_namespace,repository,condition}}: 1 True, 0
 *       False, -1 Unknown or not reported yet;
 *   <li>{@code kopia_repository_users{repository_namespace,repository,state}}: desired, registered
 *       and failed users.
 * </ul>
 *
 * The set of rows follows the Repositories through the cache's add and delete events. Every replica
 * reports the same values from its own cache: aggregate with {@code max by (repository_namespace,
 * repository)}.
 */
public final class RepositoryMetrics {
  public static final List<String> CONDITIONS =
      List.of(
          "RepositoryReady", "PolicyApplied", "ServerReady", "UsersReady", "MaintenanceHealthy");

  private final InformerCache<Repository> repositories;
  private final MultiGauge conditions;
  private final MultiGauge users;

  public RepositoryMetrics(InformerCache<Repository> repositories, MeterRegistry registry) {
    this.repositories = repositories;
    this.conditions =
        MultiGauge.builder("kopia.repository.condition")
            .description("Repository condition: 1 True, 0 False, -1 Unknown or not reported")
            .register(registry);
    this.users =
        MultiGauge.builder("kopia.repository.users")
            .description("Repository server users by state: desired, registered, failed")
            .register(registry);
  }

  /** Follows Repositories as they come and go. */
  public RepositoryMetrics watch() {
    repositories.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Repository repository) {
            refreshSoon();
          }

          @Override
          public void onUpdate(Repository before, Repository after) {
            // Values are read at scrape time; the set of rows did not change.
          }

          @Override
          public void onDelete(Repository repository, boolean finalStateUnknown) {
            refreshSoon();
          }
        });
    refresh();
    return this;
  }

  /**
   * One refresh for a burst of adds and deletes. A refresh lists every Repository, so refreshing on
   * each event cost O(n²) at start: at 1000 Repositories it took more CPU than the reconciles
   * (ScaleBenchmark profile). The rows follow within {@link #COALESCE}.
   */
  private void refreshSoon() {
    if (pending.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(COALESCE.toMillis(), TimeUnit.MILLISECONDS)
          .execute(
              () -> {
                // Cleared first: an event during the refresh schedules another one.
                pending.set(false);
                refresh();
              });
    }
  }

  static final Duration COALESCE = Duration.ofMillis(500);
  private final AtomicBoolean pending = new AtomicBoolean();

  /** Re-reads which Repositories exist; values are read at scrape time. */
  public synchronized void refresh() {
    List<MultiGauge.Row<?>> conditionRows = new ArrayList<>();
    List<MultiGauge.Row<?>> userRows = new ArrayList<>();
    for (Repository repository : repositories.list()) {
      String namespace = repository.getMetadata().getNamespace();
      String name = repository.getMetadata().getName();
      // Not "namespace": Prometheus adds that label for the scraped pod (the operator's namespace).
      Tags tags = Tags.of("repository_namespace", namespace, "repository", name);
      for (String type : CONDITIONS) {
        conditionRows.add(
            row(tags.and("condition", type), namespace, name, s -> conditionValue(s, type)));
      }
      userRows.add(row(tags.and("state", "desired"), namespace, name, s -> users(s).desired()));
      userRows.add(
          row(tags.and("state", "registered"), namespace, name, s -> users(s).registered()));
      userRows.add(row(tags.and("state", "failed"), namespace, name, s -> users(s).failed()));
    }
    conditions.register(conditionRows, true);
    users.register(userRows, true);
  }

  private MultiGauge.Row<?> row(
      Tags tags, String namespace, String name, ToDoubleFunction<RepositoryStatus> value) {
    return MultiGauge.Row.of(
        tags,
        this,
        metrics -> metrics.status(namespace, name).map(value::applyAsDouble).orElse(Double.NaN));
  }

  private Optional<RepositoryStatus> status(String namespace, String name) {
    return repositories.get(namespace, name).map(Repository::getStatus);
  }

  private static double conditionValue(RepositoryStatus status, String type) {
    return status
        .condition(type)
        .map(
            c ->
                switch (c.getStatus()) {
                  case Condition.TRUE -> 1.0;
                  case Condition.FALSE -> 0.0;
                  default -> -1.0;
                })
        .orElse(-1.0);
  }

  private record Counts(double desired, double registered, double failed) {}

  private static Counts users(RepositoryStatus status) {
    UsersStatus users = status.getUsers();
    if (users == null) {
      return new Counts(0, 0, 0);
    }
    return new Counts(
        users.getDesired() == null ? 0 : users.getDesired(),
        users.getRegistered() == null ? 0 : users.getRegistered(),
        users.getFailed() == null ? 0 : users.getFailed().size());
  }
}
