package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.RepositoryCrd;
import io.kanister.kopia.operator.KopiaOperator;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.repository.RepositoryStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator running in this JVM against a real API server, with a {@link LocalKubelet} running
 * its Kopia servers and a {@link CountingKopiaRunner} around the real kopia.
 */
public final class LocalOperator implements AutoCloseable {
  private final LocalKubelet kubelet;
  private final CountingKopiaRunner kopia;
  private final KopiaOperator operator;
  private final LocalEndpoints endpoints;

  private LocalOperator(
      LocalKubelet kubelet,
      CountingKopiaRunner kopia,
      KopiaOperator operator,
      LocalEndpoints endpoints) {
    this.kubelet = kubelet;
    this.kopia = kopia;
    this.operator = operator;
    this.endpoints = endpoints;
  }

  /** Installs (or updates) the Repository CRD and waits until the API server serves it. */
  public static void installCrd(KubernetesClient client) {
    CustomResourceDefinition crd = RepositoryCrd.load();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(crd)
        .forceConflicts()
        .serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            60,
            TimeUnit.SECONDS);
  }

  public static OperatorOptions options(
      String namespace, Path kopiaBinary, Path workDir, Duration resync) {
    return new OperatorOptions(
        namespace,
        RepositoryScope.NAMESPACE,
        kopiaBinary,
        "kopia/kopia:0.23.1",
        51515,
        false,
        "kopia-operator-leader",
        8080,
        8081,
        2,
        workDir,
        resync,
        Map.of(),
        OperatorOptions.Webhook.disabled(),
        OperatorOptions.GlobalRepository.defaults());
  }

  public static LocalOperator start(
      KubernetesClient client,
      OperatorOptions options,
      Path root,
      List<RepositoryStep> extraSteps) {
    LocalEndpoints endpoints = new LocalEndpoints();
    LocalKubelet kubelet =
        new LocalKubelet(
                client,
                options.operatorNamespace(),
                options.kopiaBinary(),
                endpoints,
                root.resolve("pods"))
            .start();
    CountingKopiaRunner kopia =
        new CountingKopiaRunner(new ProcessKopiaRunner(options.kopiaBinary()));
    KopiaOperator operator =
        KopiaOperator.start(
            new KopiaOperator.Wiring(
                client, options, kopia, endpoints, "local-operator", false, extraSteps));
    return new LocalOperator(kubelet, kopia, operator, endpoints);
  }

  /** Restarts only the operator, keeping the servers running, as a pod restart would. */
  public LocalOperator restartOperator(
      KubernetesClient client, OperatorOptions options, List<RepositoryStep> extraSteps) {
    operator.close();
    CountingKopiaRunner fresh =
        new CountingKopiaRunner(new ProcessKopiaRunner(options.kopiaBinary()));
    KopiaOperator restarted =
        KopiaOperator.start(
            new KopiaOperator.Wiring(
                client, options, fresh, endpoints, "local-operator-2", false, extraSteps));
    return new LocalOperator(kubelet, fresh, restarted, endpoints);
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
    return operator;
  }

  @Override
  public void close() {
    operator.close();
    kubelet.close();
  }
}
