package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.KopiaOperator;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.OperatorOptionsParser;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole operator (informers, work queue, controllers, status writer) in this JVM, as {@code
 * OperatorMain} assembles it, on a real API server with the real kopia, every kopia command counted
 * by verb. There is no node: Deployments are created but never run, so {@code ServerReady} stays
 * Starting while {@code RepositoryReady} tells whether the repository step converged.
 */
final class InJvmOperator implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final KopiaOperator operator;
  final RealKopiaReconciler.Counting kopia;

  /**
   * @param client the operator's own client (for a fault: one reaching the API server through a
   *     relay)
   * @param observer reads Repositories and Events for the test, never through the fault
   */
  InJvmOperator(
      KubernetesClient client,
      KubernetesClient observer,
      String namespace,
      Path kopiaBinary,
      Path work,
      Duration resync,
      String... moreFlags) {
    this.client = observer;
    this.namespace = namespace;
    List<String> flags = new ArrayList<>();
    flags.add("--operator-namespace=" + namespace);
    flags.add("--repository-scope=namespace");
    flags.add("--kopia-binary=" + kopiaBinary.toAbsolutePath());
    flags.add("--leader-elect=false");
    flags.add("--work-dir=" + work);
    flags.add("--resync-period=" + resync.toSeconds() + "s");
    flags.add("--webhook=false");
    flags.add(
        "--filesystem-roots=" + Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
    flags.addAll(List.of(moreFlags));
    OperatorOptions options = OperatorOptionsParser.parse(flags, Map.of());
    this.kopia = new RealKopiaReconciler.Counting(new ProcessKopiaRunner(kopiaBinary));
    this.operator =
        KopiaOperator.start(
            new KopiaOperator.Wiring(
                client, options, kopia, ServerEndpointResolver.clusterDns(), "in-jvm", false),
            () -> {});
  }

  Repository get(String name) {
    return client.resources(Repository.class).inNamespace(namespace).withName(name).get();
  }

  String condition(String name, String type) {
    Repository repository = get(name);
    if (repository == null || repository.getStatus() == null) {
      return "none";
    }
    return repository
        .getStatus()
        .condition(type)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("none");
  }

  /** Ready for the spec as it is now: RepositoryReady True at the current generation. */
  boolean readyAtCurrentGeneration(String name) {
    Repository repository = get(name);
    if (repository == null || repository.getStatus() == null) {
      return false;
    }
    Long observed = repository.getStatus().getObservedGeneration();
    return observed != null
        && observed >= repository.getMetadata().getGeneration()
        && repository
            .getStatus()
            .condition("RepositoryReady")
            .map(Condition::getStatus)
            .filter("True"::equals)
            .isPresent();
  }

  List<Event> events(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** The kopia verbs run during {@code window} of doing nothing: resyncs at steady state. */
  List<String> steadyVerbs(Duration window) throws InterruptedException {
    int mark = kopia.mark();
    Thread.sleep(window.toMillis());
    return kopia.since(mark);
  }

  /** Waits for {@code condition} and returns the milliseconds it took. */
  static long millisUntil(BooleanSupplier condition, Duration patience)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + patience);
      }
      Thread.sleep(50);
    }
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  @Override
  public void close() {
    operator.close();
  }
}
