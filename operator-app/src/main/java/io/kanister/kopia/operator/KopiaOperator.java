package io.kanister.kopia.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.health.HealthServer;
import io.kanister.controller.leader.LeaderElectionSettings;
import io.kanister.controller.status.StatusWriter;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.repository.RepositoryReconciler;
import io.kanister.kopia.operator.repository.RepositoryReconcilerContext;
import io.kanister.kopia.operator.repository.RepositoryStep;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
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

  private KopiaOperator(ControllerRuntime runtime, Optional<HealthServer> health) {
    this.runtime = runtime;
    this.health = health;
  }

  /** What varies between a real start and a test. */
  public record Wiring(
      KubernetesClient client,
      OperatorOptions options,
      KopiaRunner kopiaRunner,
      ServerEndpointResolver endpointResolver,
      String identity,
      boolean serveHealth,
      List<RepositoryStep> extraSteps) {}

  public static KopiaOperator start(Wiring wiring) {
    OperatorOptions options = wiring.options();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ControllerRuntime.Builder builder =
        ControllerRuntime.builder(wiring.client())
            .watchNamespace(options.operatorNamespace())
            .meterRegistry(registry);
    if (options.leaderElection()) {
      builder.leaderElection(
          LeaderElectionSettings.defaults(
              options.operatorNamespace(), options.leaseName(), wiring.identity()));
    }
    ControllerRuntime runtime = builder.build();
    RepositoryReconciler reconciler =
        new RepositoryReconciler(
            new RepositoryReconcilerContext(
                wiring.client(),
                runtime.cache(Repository.class),
                new StatusWriter(wiring.client(), registry),
                new EventRecorder(
                    wiring.client(), "kopia-operator", wiring.identity(), Clock.systemUTC()),
                wiring.kopiaRunner(),
                options.workDirectory(),
                options.kopiaImage(),
                options.serverPort(),
                wiring.endpointResolver(),
                options.resyncPeriod(),
                Clock.systemUTC(),
                wiring.extraSteps()));
    runtime
        .newController(Repository.class)
        .named("repository")
        .withEventFilter(new RepositoryEventFilter())
        .owns(Deployment.class)
        .owns(Service.class)
        .watches(Secret.class, new RepositorySecretMapper(runtime.cache(Repository.class)))
        .workers(options.workers())
        .complete(reconciler);
    Optional<HealthServer> health =
        wiring.serveHealth()
            ? Optional.of(
                new HealthServer(
                        new InetSocketAddress(options.healthPort()), runtime, registry::scrape)
                    .start())
            : Optional.empty();
    runtime.start();
    return new KopiaOperator(runtime, health);
  }

  public ControllerRuntime runtime() {
    return runtime;
  }

  @Override
  public void close() {
    runtime.close();
    health.ifPresent(HealthServer::close);
  }
}
