package io.kanister.kopia.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.status.Condition;
import java.time.Duration;
import java.util.Optional;

/** Waiting for and reading Repository conditions. */
final class E2eSupport {
  private E2eSupport() {}

  static Repository get(KubernetesClient client, String namespace, String name) {
    return client.resources(Repository.class).inNamespace(namespace).withName(name).get();
  }

  static Optional<Condition> condition(Repository repository, String type) {
    return repository == null || repository.getStatus() == null
        ? Optional.empty()
        : repository.getStatus().condition(type);
  }

  /** Waits until condition {@code type} has {@code status} and returns it. */
  static Condition awaitCondition(
      KubernetesClient client,
      String namespace,
      String name,
      String type,
      String status,
      Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> condition(get(client, namespace, name), type).orElse(null),
            c -> c != null && status.equals(c.getStatus()));
  }

  static Condition awaitReason(
      KubernetesClient client,
      String namespace,
      String name,
      String type,
      String reason,
      Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> condition(get(client, namespace, name), type).orElse(null),
            c -> c != null && reason.equals(c.getReason()));
  }

  static void createNamespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build())
        .create();
  }

  /**
   * Asks the operator for a pass over unchanged input: a fresh label on Secret {@code name} (a
   * watched one, the location Secret say) changes no value the pass reads.
   */
  static void askForPass(KubernetesClient client, String namespace, String name) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            s -> {
              if (s.getMetadata().getLabels() == null) {
                s.getMetadata().setLabels(new java.util.HashMap<>());
              }
              s.getMetadata().getLabels().put("e2e-pass", Long.toString(System.nanoTime()));
              return s;
            });
  }
}
