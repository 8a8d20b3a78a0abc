package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.status.StatusWriter;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.operator.OperatorOptionsParser;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The reconciler as the reconciler tests build it: the operator's defaults, no maintenance. */
final class TestReconcilers {
  private TestReconcilers() {}

  static RepositoryReconciler reconciler(
      KubernetesClient client,
      InformerCache<Repository> repositories,
      InformerCache<Secret> secrets,
      KopiaRunner kopia,
      Path work,
      ServerEndpointResolver endpoints,
      Clock clock,
      AccessUsersStep users,
      String identity)
      throws IOException {
    return new RepositoryReconciler(
        new RepositoryReconcilerContext(
            client,
            repositories,
            secrets,
            new StatusWriter(client, new SimpleMeterRegistry()),
            new EventRecorder(client, "kopia-operator", identity, clock),
            kopia,
            Files.createDirectories(work.resolve("operator")),
            "kopia/kopia:0.23.1",
            51515,
            OperatorOptionsParser.parse(List.of(), Map.of()).serverResources(),
            endpoints,
            Duration.ofMinutes(10),
            clock,
            users,
            List.of(),
            FilesystemRoots.anywhere(),
            null,
            null));
  }

  /** A namespace-mode Repository for target {@code app}, with Secrets app-location and app-tls. */
  static Repository repository(String namespace, String name) {
    Repository repository = new Repository();
    repository.getMetadata().setName(name);
    repository.getMetadata().setNamespace(namespace);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace("app");
    LocationSpec location = new LocationSpec();
    location.setSecretName("app-location");
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    server.setTlsSecretName("app-tls");
    spec.setServer(server);
    repository.setSpec(spec);
    return repository;
  }
}
