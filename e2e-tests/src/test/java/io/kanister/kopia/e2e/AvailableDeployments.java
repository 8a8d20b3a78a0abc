package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pod layer stood in for the scale benchmark: every operator Deployment is reported available
 * through a status write, as a Deployment controller would once its pod is ready, without running
 * the pod. (The one real Kopia server the probes reach is started by the benchmark itself.)
 */
final class AvailableDeployments implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final ExecutorService writers = Executors.newFixedThreadPool(2);
  private final AtomicInteger written = new AtomicInteger();
  private Watch watch;

  AvailableDeployments(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  AvailableDeployments start() {
    // A plain watch, not an informer: no cache in the JVM whose heap the benchmark measures.
    watch =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/managed-by", "kopia-operator")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Deployment deployment) {
                    if (action == Action.ADDED || action == Action.MODIFIED) {
                      markIfNeeded(deployment);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    return this;
  }

  int written() {
    return written.get();
  }

  private void markIfNeeded(Deployment deployment) {
    var status = deployment.getStatus();
    if (status != null
        && Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration())
        && Objects.equals(status.getAvailableReplicas(), 1)) {
      return;
    }
    writers.execute(
        () -> {
          try {
            client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withName(deployment.getMetadata().getName())
                .editStatus(
                    d -> {
                      d.setStatus(
                          new DeploymentStatusBuilder()
                              .withReplicas(1)
                              .withUpdatedReplicas(1)
                              .withReadyReplicas(1)
                              .withAvailableReplicas(1)
                              .withObservedGeneration(d.getMetadata().getGeneration())
                              .build());
                      return d;
                    });
            written.incrementAndGet();
          } catch (RuntimeException e) {
            // Gone or changed meanwhile: the update event that follows marks it again.
          }
        });
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    writers.shutdownNow();
  }
}
