package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.operator.server.ServerPlan;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.kube.LocalPod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kubelet and Deployment controller for the operator's Kopia server Deployments, which a
 * control plane without nodes never runs: each Deployment's pod template is started as a local
 * process ({@link LocalPod}) on a loopback port, restarted when its template changes (the {@code
 * Recreate} strategy), stopped when the Deployment goes, and reported available in the Deployment's
 * status once kopia prints its listening address.
 */
public final class LocalKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKubelet.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Path kopiaBinary;
  private final LocalEndpoints endpoints;
  private final Path root;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "local-kubelet"));
  private final Map<String, Running> pods = new ConcurrentHashMap<>();
  private final AtomicInteger starts = new AtomicInteger();
  private final Map<String, Integer> pinnedPorts = new ConcurrentHashMap<>();
  private SharedIndexInformer<Deployment> informer;

  private record Running(LocalPod pod, String templateHash, String address) {}

  public LocalKubelet(
      KubernetesClient client,
      String namespace,
      Path kopiaBinary,
      LocalEndpoints endpoints,
      Path root) {
    this.client = client;
    this.namespace = namespace;
    this.kopiaBinary = kopiaBinary;
    this.endpoints = endpoints;
    this.root = root;
  }

  public LocalKubelet start() {
    informer =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/managed-by", "kopia-operator")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment deployment) {
                    worker.execute(() -> sync(deployment));
                  }

                  @Override
                  public void onUpdate(Deployment before, Deployment after) {
                    worker.execute(() -> sync(after));
                  }

                  @Override
                  public void onDelete(Deployment deployment, boolean unknownFinalState) {
                    worker.execute(() -> stop(deployment.getMetadata().getName()));
                  }
                });
    return this;
  }

  /**
   * Runs Deployment {@code deployment}'s server on {@code port}, each time it starts: for an
   * operator in another process, told the address up front ({@code --server-address-override}).
   */
  public LocalKubelet pinPort(String deployment, int port) {
    pinnedPorts.put(deployment, port);
    return this;
  }

  /** How many server processes were started so far (restarts included). */
  public int starts() {
    return starts.get();
  }

  public boolean isRunning(String deployment) {
    Running running = pods.get(deployment);
    return running != null && running.pod().process().isAlive();
  }

  private void sync(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    String hash = templateHash(deployment);
    Running running = pods.get(name);
    if (running != null
        && running.templateHash().equals(hash)
        && running.pod().process().isAlive()) {
      markAvailable(deployment, 1);
      return;
    }
    stop(name);
    Integer pinned = pinnedPorts.get(name);
    int port = pinned != null ? pinned : BackgroundProcess.freePort();
    String address = "127.0.0.1:" + port;
    try {
      LocalPod pod =
          LocalPod.start(
              client,
              namespace,
              deployment.getSpec().getTemplate(),
              ServerPlan.CONTAINER_NAME,
              Map.of("kopia", kopiaBinary),
              arg -> arg.startsWith("--address=") ? "--address=" + address : arg,
              root.resolve(name + "-" + starts.incrementAndGet()));
      pods.put(name, new Running(pod, hash, address));
      pod.process().awaitLogLine("SERVER ADDRESS:", Duration.ofSeconds(90));
      endpoints.put(name + "." + namespace + ".svc", address);
      markAvailable(deployment, 1);
      LOG.info("local kubelet: Deployment {}/{} serving at {}", namespace, name, address);
    } catch (RuntimeException e) {
      LOG.warn(
          "local kubelet: Deployment {}/{} failed to start: {}", namespace, name, e.getMessage());
      markAvailable(deployment, 0);
    }
  }

  private void stop(String name) {
    Running running = pods.remove(name);
    if (running != null) {
      running.pod().close();
      endpoints.remove(name + "." + namespace + ".svc");
    }
  }

  private void markAvailable(Deployment deployment, int available) {
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
                        .withReadyReplicas(available)
                        .withAvailableReplicas(available)
                        .withObservedGeneration(d.getMetadata().getGeneration())
                        .build());
                return d;
              });
    } catch (RuntimeException e) {
      LOG.debug(
          "local kubelet: status of {} not written: {}",
          deployment.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Any change of the pod template restarts the pod, as the Recreate strategy would. */
  private static String templateHash(Deployment deployment) {
    return Integer.toHexString(Serialization.asJson(deployment.getSpec().getTemplate()).hashCode());
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pods.keySet().forEach(this::stop);
  }
}
