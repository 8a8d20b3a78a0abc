package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.export.ClientExporter;
import io.kanister.kopia.operator.export.ExecPodFileWriter;
import io.kanister.kopia.operator.export.WorkloadReexport;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.users.AccessUsers;
import io.kanister.kopia.operator.users.AccessUsers.AccessUsersSettings;
import io.kanister.kopia.operator.users.RealKopiaServer;
import io.kanister.kopia.operator.workload.LabelledWorkloads;
import io.kanister.kopia.testsupport.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A Repository served by a real Kopia server ({@link RealKopiaServer}) on the real API server,
 * reconciled with its users step: its Secrets {@code <prefix>-location}, {@code -tls} and {@code
 * -admin}, the Repository, the reconciler, and what the tests read back.
 */
final class ServedRepositoryFixture {
  private ServedRepositoryFixture() {}

  /** The location, TLS and admin Secrets of the real server, named {@code <prefix>-...}. */
  static void secrets(
      KubernetesClient client,
      String namespace,
      String prefix,
      TestPki.Issued tls,
      RealKopiaServer real) {
    var credentials = RealKopiaServer.credentials();
    secret(
        client,
        namespace,
        prefix + "-location",
        Map.of(
            "type",
            "filesystem",
            "path",
            real.repositoryPath().toString(),
            "repo-password",
            RealKopiaServer.REPOSITORY_PASSWORD.reveal()));
    secret(
        client,
        namespace,
        prefix + "-tls",
        Map.of("tls.crt", tls.certPem(), "tls.key", tls.keyPem()));
    secret(
        client,
        namespace,
        prefix + "-admin",
        Map.of(
            "username",
            credentials.uiUsername(),
            "password",
            credentials.uiPassword().reveal(),
            "control-username",
            credentials.controlUsername(),
            "control-password",
            credentials.controlPassword().reveal()));
  }

  /** Creates or replaces a Secret; a name ending in {@code -tls} is a {@code kubernetes.io/tls}. */
  static void secret(
      KubernetesClient client, String namespace, String name, Map<String, String> data) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withType(name.endsWith("-tls") ? "kubernetes.io/tls" : "Opaque")
                .withStringData(data)
                .build())
        .createOrReplace();
  }

  /** A Repository naming the {@link #secrets} of {@code prefix}, for {@code target}. */
  static Repository repository(String namespace, String name, String prefix, String target) {
    Repository repository = new Repository();
    repository.getMetadata().setName(name);
    repository.getMetadata().setNamespace(namespace);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(target);
    LocationSpec location = new LocationSpec();
    location.setSecretName(prefix + "-location");
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    server.setTlsSecretName(prefix + "-tls");
    server.setAdminSecretName(prefix + "-admin");
    spec.setServer(server);
    repository.setSpec(spec);
    return repository;
  }

  /** The reconciler with its users step; client files are exported through {@code exports}. */
  static RepositoryReconciler reconciler(
      KubernetesClient client,
      KubernetesClient exports,
      InformerCache<Repository> cache,
      InformerCache<Secret> secrets,
      KopiaRunner kopia,
      ServerEndpointResolver endpoints,
      Path work,
      String identity)
      throws IOException {
    Clock clock = Clock.systemUTC();
    AccessUsersStep users =
        new AccessUsersStep(
            new AccessUsers(client, AccessUsersSettings.defaults(), clock),
            new LabelledWorkloads(client),
            new WorkloadReexport(
                exports,
                new ClientExporter(new ExecPodFileWriter(exports, Duration.ofSeconds(10)))),
            kopia,
            endpoints,
            clock);
    return TestReconcilers.reconciler(
        client, cache, secrets, kopia, work, endpoints, clock, users, identity);
  }

  /** {@code status/reason} of a condition. */
  static String condition(KubernetesClient client, Repository repository, String type) {
    Condition c = client.resource(repository).get().getStatus().condition(type).orElseThrow();
    return c.getStatus() + "/" + c.getReason();
  }

  static String message(KubernetesClient client, Repository repository, String type) {
    return client.resource(repository).get().getStatus().condition(type).orElseThrow().getMessage();
  }

  static String serviceName(KubernetesClient client, Repository repository) {
    return client.resource(repository).get().getStatus().getServer().getServiceName();
  }

  /** No kubelet here: say what the Deployment controller would once the pod runs. */
  static void markAvailable(KubernetesClient client, String namespace, String name) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    deployment.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(1)
            .withUpdatedReplicas(1)
            .withReadyReplicas(1)
            .withAvailableReplicas(1)
            .build());
    client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
  }
}
