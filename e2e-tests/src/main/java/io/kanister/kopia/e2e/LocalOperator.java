package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.RepositoryCrd;
import io.kanister.kopia.operator.KopiaOperator;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.OperatorOptionsParser;
import io.kanister.kopia.operator.OperatorStartup;
import io.kanister.kopia.operator.ReliabilityOptions;
import io.kanister.kopia.operator.maintenance.MaintenanceOptions;
import io.kanister.kopia.testsupport.kube.CustomResourceDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator running in this JVM against a real API server, with a {@link LocalKubelet} running
 * its Kopia servers and a {@link CountingKopiaRunner} around the real kopia.
 */
public final class LocalOperator implements AutoCloseable {
  private final LocalKubelet kubelet;
  private final CountingKopiaRunner kopia;
  private final OperatorStartup.Running running;
  private final LocalEndpoints endpoints;

  private LocalOperator(
      LocalKubelet kubelet,
      CountingKopiaRunner kopia,
      OperatorStartup.Running running,
      LocalEndpoints endpoints) {
    this.kubelet = kubelet;
    this.kopia = kopia;
    this.running = running;
    this.endpoints = endpoints;
  }

  /** Installs (or updates) the Repository CRD and waits until the API server serves it. */
  public static void installCrd(KubernetesClient client) {
    CustomResourceDefinitions.install(client, RepositoryCrd.load());
  }

  public static OperatorOptions options(
      String namespace, Path kopiaBinary, Path workDir, Duration resync) {
    return options(namespace, RepositoryScope.NAMESPACE, kopiaBinary, workDir, resync);
  }

  public static OperatorOptions options(
      String namespace, RepositoryScope scope, Path kopiaBinary, Path workDir, Duration resync) {
    return new OperatorOptions(
        namespace,
        scope,
        kopiaBinary,
        "kopia/kopia:0.23.1",
        51515,
        false,
        "kopia-operator-leader",
        "127.0.0.1",
        8081,
        2,
        workDir,
        resync,
        Map.of(),
        OperatorOptions.Webhook.disabled(),
        OperatorOptions.GlobalRepository.defaults(),
        "kopia-operator",
        OperatorOptionsParser.parse(List.of(), Map.of()).serverResources(),
        // The tests' repositories live in their sandboxes, under the JVM's temporary folder.
        FilesystemRoots.of(
            List.of(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString())),
        MaintenanceOptions.defaults(),
        ReliabilityOptions.defaults());
  }

  /** Starts the kubelet stand-in and the operator through its real start-up sequence. */
  public static LocalOperator start(KubernetesClient client, OperatorOptions options, Path root)
      throws OperatorStartup.StartupException {
    return start(client, client, options, root);
  }

  /**
   * As {@link #start(KubernetesClient, OperatorOptions, Path)}, but the operator acts as {@code
   * operatorClient} (for example its ServiceAccount under the chart's RBAC) while the kubelet
   * stand-in keeps {@code kubeletClient}.
   */
  public static LocalOperator start(
      KubernetesClient kubeletClient,
      KubernetesClient operatorClient,
      OperatorOptions options,
      Path root)
      throws OperatorStartup.StartupException {
    LocalEndpoints endpoints = new LocalEndpoints();
    LocalKubelet kubelet =
        new LocalKubelet(
                kubeletClient,
                options.operatorNamespace(),
                options.kopiaBinary(),
                endpoints,
                root.resolve("pods"))
            .start();
    try {
      CountingKopiaRunner kopia =
          new CountingKopiaRunner(new ProcessKopiaRunner(options.kopiaBinary()));
      return new LocalOperator(
          kubelet,
          kopia,
          startOperator(operatorClient, options, kopia, endpoints, "local-operator"),
          endpoints);
    } catch (OperatorStartup.StartupException | RuntimeException e) {
      kubelet.close();
      throw e;
    }
  }

  /**
   * Restarts only the operator, keeping the servers running, as a pod restart would. The returned
   * value replaces this one; close only the new one.
   */
  public LocalOperator restartOperator(KubernetesClient client, OperatorOptions options)
      throws OperatorStartup.StartupException {
    running.close();
    CountingKopiaRunner fresh =
        new CountingKopiaRunner(new ProcessKopiaRunner(options.kopiaBinary()));
    return new LocalOperator(
        kubelet,
        fresh,
        startOperator(client, options, fresh, endpoints, "local-operator-2"),
        endpoints);
  }

  private static OperatorStartup.Running startOperator(
      KubernetesClient client,
      OperatorOptions options,
      CountingKopiaRunner kopia,
      LocalEndpoints endpoints,
      String identity)
      throws OperatorStartup.StartupException {
    return OperatorStartup.start(
        client, options, kopia, endpoints, identity, Optional.empty(), false);
  }

  public LocalKubelet kubelet() {
    return kubelet;
  }

  public CountingKopiaRunner kopia() {
    return kopia;
  }

  public LocalEndpoints endpoints() {
    return endpoints;
  }

  public KopiaOperator operator() {
    return running.operator();
  }

  @Override
  public void close() {
    // As OperatorMain does: kopia first, so that reconciles in flight end at once.
    kopia.shutDown(Duration.ofSeconds(2));
    running.close();
    kubelet.close();
  }
}
