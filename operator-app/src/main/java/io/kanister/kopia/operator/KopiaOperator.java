package io.kanister.kopia.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.Controller;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.cache.CachedObjects;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.health.HealthServer;
import io.kanister.controller.leader.LeaderElectionSettings;
import io.kanister.controller.status.StatusWriter;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.bounds.BoundedKopiaRunner;
import io.kanister.kopia.operator.bounds.PassDeadline;
import io.kanister.kopia.operator.export.ClientExporter;
import io.kanister.kopia.operator.export.ExecPodFileWriter;
import io.kanister.kopia.operator.export.WorkloadReexport;
import io.kanister.kopia.operator.fencing.FencedKopiaRunner;
import io.kanister.kopia.operator.fencing.LostLeadership;
import io.kanister.kopia.operator.maintenance.NoAutoMaintenanceRunner;
import io.kanister.kopia.operator.maintenance.RepositoryMaintenance;
import io.kanister.kopia.operator.metrics.RepositoryMetrics;
import io.kanister.kopia.operator.metrics.TimedKopiaRunner;
import io.kanister.kopia.operator.repository.AccessUsersStep;
import io.kanister.kopia.operator.repository.RepositoryMemory;
import io.kanister.kopia.operator.repository.RepositoryReconciler;
import io.kanister.kopia.operator.repository.RepositoryReconcilerContext;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.tokens.TokenIssuer.TokenRequestIssuer;
import io.kanister.kopia.operator.users.AccessUsers;
import io.kanister.kopia.operator.users.AccessUsers.AccessUsersSettings;
import io.kanister.kopia.operator.users.ManagedUsersConfigMap;
import io.kanister.kopia.operator.workload.LabelledWorkloads;
import io.kanister.kopia.operator.workload.WorkloadSource;
import io.kanister.kopia.operator.workload.WorkloadSource.Workload;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator assembled: caches and controllers on the controller runtime, the Repository
 * reconciler, leader election and the health and metrics endpoints. {@link OperatorMain} builds it
 * from flags; tests build it with their own endpoint resolver and kopia runner.
 */
public final class KopiaOperator implements AutoCloseable {
  private final ControllerRuntime runtime;
  private final Optional<HealthServer> health;
  private final RepositoryMaintenance maintenance;
  private final RepositoryMemory memory;

  private KopiaOperator(
      ControllerRuntime runtime,
      Optional<HealthServer> health,
      RepositoryMaintenance maintenance,
      RepositoryMemory memory) {
    this.runtime = runtime;
    this.health = health;
    this.maintenance = maintenance;
    this.memory = memory;
  }

  /** What varies between a real start and a test. */
  public record Wiring(
      KubernetesClient client,
      OperatorOptions options,
      KopiaRunner kopiaRunner,
      ServerEndpointResolver endpointResolver,
      String identity,
      boolean serveHealth) {}

  public static KopiaOperator start(Wiring wiring) {
    return start(wiring, LostLeadership::halt);
  }

  /**
   * As {@link #start(Wiring)}, with what ends the process once a lost leader is fenced (tests that
   * run two operators in one JVM count it instead of halting).
   */
  public static KopiaOperator start(Wiring wiring, Runnable exitWhenLeadershipLost) {
    OperatorOptions options = wiring.options();
    // Every kopia command goes through this door, which a lost leader shuts (kills what runs).
    FencedKopiaRunner fenced = new FencedKopiaRunner(wiring.kopiaRunner());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ControllerRuntime.Builder builder =
        ControllerRuntime.builder(wiring.client())
            .watchNamespace(options.operatorNamespace())
            .meterRegistry(registry)
            .events(
                new EventRecorder(
                    wiring.client(), "kopia-operator", wiring.identity(), Clock.systemUTC()));
    if (options.leaderElection()) {
      builder
          .leaderElection(
              new LeaderElectionSettings(
                  options.operatorNamespace(),
                  options.leaseName(),
                  wiring.identity(),
                  options.reliability().leaseDuration(),
                  options.reliability().renewDeadline(),
                  options.reliability().retryPeriod()))
          .fenceOnLeadershipLost(fenced::fence)
          .onLeadershipLost(exitWhenLeadershipLost);
    }
    ControllerRuntime runtime = builder.build();
    new RepositoryMetrics(runtime.cache(Repository.class), registry).watch();
    // Maintenance runs only from the maintenance executor, never after another command.
    // Bounded and first come, first served, globally and per Repository (a slow one holds only
    // its own share); the timer counts kopia's own time, not the wait for a permit.
    BoundedKopiaRunner bounded =
        new BoundedKopiaRunner(
            new TimedKopiaRunner(new NoAutoMaintenanceRunner(fenced), registry),
            options.reliability().kopiaConcurrency(),
            options.reliability().kopiaPerRepository());
    KopiaRunner kopiaRunner = bounded;
    RepositoryMaintenance maintenance =
        RepositoryMaintenance.create(
            wiring.client(),
            wiring.identity(),
            options.maintenance(),
            new EventRecorder(
                wiring.client(), "kopia-operator", wiring.identity(), Clock.systemUTC()),
            registry,
            runtime::isLeader,
            Clock.systemUTC());
    // Workloads come from the caches the workload watches below keep anyway: opted-in ones only,
    // selected by the API server, so an unlabelled workload is never sent or held.
    LabelledWorkloads labelled =
        new LabelledWorkloads(
            runtime.informers().cache(StatefulSet.class, null, RepositoryWorkloadMapper.OPTED_IN),
            runtime.informers().cache(Deployment.class, null, RepositoryWorkloadMapper.OPTED_IN),
            runtime.informers().cache(DaemonSet.class, null, RepositoryWorkloadMapper.OPTED_IN));
    AccessUsers accessUsers =
        new AccessUsers(
            wiring.client(),
            workloads(labelled, options),
            new TokenRequestIssuer(wiring.client(), Clock.systemUTC()),
            AccessUsersSettings.defaults(),
            Clock.systemUTC());
    WorkloadReexport reexport =
        new WorkloadReexport(
            wiring.client(),
            new ClientExporter(new ExecPodFileWriter(wiring.client(), Duration.ofMinutes(1))),
            labelled.lookup());
    AccessUsersStep users =
        new AccessUsersStep(
            accessUsers,
            workloads(labelled, options),
            reexport,
            kopiaRunner,
            wiring.endpointResolver(),
            Clock.systemUTC());
    RepositoryMemory memory = new RepositoryMemory();
    memory.register("access users", accessUsers::forget, accessUsers::size);
    memory.register("client exports", reexport::forget, reexport::size);
    memory.register("maintenance schedules", maintenance::forget, maintenance::size);
    RepositoryReconciler reconciler =
        new RepositoryReconciler(
            new RepositoryReconcilerContext(
                wiring.client(),
                runtime.cache(Repository.class),
                runtime.cache(Secret.class),
                new StatusWriter(wiring.client(), registry),
                new EventRecorder(
                    wiring.client(), "kopia-operator", wiring.identity(), Clock.systemUTC()),
                kopiaRunner,
                options.workDirectory(),
                options.kopiaImage(),
                options.serverPort(),
                options.serverResources(),
                wiring.endpointResolver(),
                options.resyncPeriod(),
                Clock.systemUTC(),
                users,
                // Every per-Repository memory, pruned when the Repository goes.
                List.of(memory::forget),
                options.filesystemRoots(),
                maintenance,
                CachedObjects.of(
                    runtime.cache(Secret.class),
                    runtime.cache(Deployment.class),
                    runtime.cache(Service.class))));
    reconciler.withHungServerPatience(options.reliability().hungServerPatience());
    reconciler.rememberIn(memory);
    Controller controller =
        runtime
            .newController(Repository.class)
            .named("repository")
            .withEventFilter(new RepositoryEventFilter())
            .owns(Deployment.class)
            .owns(Service.class)
            // The users record: deleted or edited, it is written again at once.
            .owns(ConfigMap.class, ManagedUsersConfigMap.LABELS)
            .watches(Secret.class, new RepositorySecretMapper(runtime.cache(Repository.class)))
            .watchesAllNamespaces(
                StatefulSet.class,
                RepositoryWorkloadMapper.OPTED_IN,
                new RepositoryWorkloadMapper<>(runtime.cache(Repository.class)),
                RepositoryWorkloadMapper.optedIn())
            .watchesAllNamespaces(
                DaemonSet.class,
                RepositoryWorkloadMapper.OPTED_IN,
                new RepositoryWorkloadMapper<>(runtime.cache(Repository.class)),
                RepositoryWorkloadMapper.optedIn())
            .watchesAllNamespaces(
                Deployment.class,
                RepositoryWorkloadMapper.OPTED_IN,
                new RepositoryWorkloadMapper<>(runtime.cache(Repository.class)),
                RepositoryWorkloadMapper.optedIn())
            .workers(options.workers())
            .complete(
                new PassDeadline(
                    reconciler,
                    bounded,
                    options.reliability().passDeadline(),
                    runtime.cache(Repository.class),
                    new EventRecorder(
                        wiring.client(), "kopia-operator", wiring.identity(), Clock.systemUTC())));
    maintenance.whenRunEnds(controller::enqueue);
    Optional<HealthServer> health =
        wiring.serveHealth()
            ? Optional.of(
                new HealthServer(
                        new InetSocketAddress(options.healthBindAddress(), options.healthPort()),
                        runtime,
                        registry::scrape)
                    .start())
            : Optional.empty();
    runtime.start();
    return new KopiaOperator(runtime, health, maintenance, memory);
  }

  /**
   * Labelled workloads of a target namespace. In global mode the repository has no target; its one
   * shared credential comes from the operator's own ServiceAccount, as the seed design says.
   */
  private static WorkloadSource workloads(WorkloadSource labelled, OperatorOptions options) {
    if (options.repositoryScope() != RepositoryScope.GLOBAL) {
      return labelled;
    }
    List<Workload> operator =
        List.of(
            new Workload(
                "Operator",
                options.operatorNamespace(),
                "kopia-operator",
                options.serviceAccount()));
    return namespace ->
        AccessUsers.GLOBAL_USERS_NAMESPACE.equals(namespace)
            ? operator
            : labelled.labelledWorkloads(namespace);
  }

  public ControllerRuntime runtime() {
    return runtime;
  }

  /** Every per-Repository memory of this operator, with its size probe. */
  public RepositoryMemory memory() {
    return memory;
  }

  @Override
  public void close() {
    // First: stops kopia maintenance and releases its Leases while the API client still works.
    maintenance.close();
    runtime.close();
    health.ifPresent(HealthServer::close);
  }
}
