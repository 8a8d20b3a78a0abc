package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.export.ClientExporter;
import io.kanister.kopia.operator.export.ExecPodFileWriter;
import io.kanister.kopia.operator.export.PodFileWriter;
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
import java.util.List;
import java.util.Map;

/**
 * A Repository served by a real Kopia server ({@link RealKopiaServer}) on the real API server,
 * reconciled with its users step: its Secrets {@code <prefix>-location}, {@code -tls} and {@code
 * -admin}, the Repository, the reconciler, and what the tests read back.
 */
final class ServedRepositoryFixture {
  private ServedRepositoryFixture() {}

  /** A server certificate for {@code localhost} and {@code 127.0.0.1}, from a CA of its own. */
  static TestPki.Issued localTls(String ca) {
    return TestPki.newCa(ca).issueServer("repo-server", List.of("localhost"), List.of("127.0.0.1"));
  }

  /** The reconciler's informer caches of one namespace's Repositories and Secrets, synced. */
  record Caches(
      SharedInformers informers,
      InformerCache<Repository> repositories,
      InformerCache<Secret> secrets)
      implements AutoCloseable {
    static Caches started(KubernetesClient client, String namespace) throws Exception {
      SharedInformers informers = new SharedInformers(client);
      InformerCache<Repository> repositories = informers.cache(Repository.class, namespace);
      InformerCache<Secret> secrets = informers.cache(Secret.class, namespace);
      informers.start();
      informers.awaitSynced(Duration.ofSeconds(30));
      return new Caches(informers, repositories, secrets);
    }

    @Override
    public void close() {
      informers.close();
    }
  }

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

  /**
   * As above, with {@code users} (its tokens issued by the caller), client files written through
   * {@code files}, and {@code clock} for the whole reconciler.
   */
  static RepositoryReconciler reconciler(
      KubernetesClient client,
      Caches caches,
      KopiaRunner kopia,
      ServerEndpointResolver endpoints,
      Path work,
      String identity,
      Clock clock,
      AccessUsers users,
      PodFileWriter files)
      throws IOException {
    AccessUsersStep step =
        new AccessUsersStep(
            users,
            new LabelledWorkloads(client),
            new WorkloadReexport(client, new ClientExporter(files)),
            kopia,
            endpoints,
            clock);
    return TestReconcilers.reconciler(
        client,
        caches.repositories(),
        caches.secrets(),
        kopia,
        work,
        endpoints,
        clock,
        step,
        identity);
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

  /** RepositoryReady, UsersReady, PolicyApplied and ServerReady are all True. */
  static boolean converged(KubernetesClient client, String namespace, String name) {
    Repository now = client.resources(Repository.class).inNamespace(namespace).withName(name).get();
    return List.of("RepositoryReady", "UsersReady", "PolicyApplied", "ServerReady").stream()
        .allMatch(
            type ->
                now.getStatus() != null
                    && now.getStatus()
                        .condition(type)
                        .map(Condition::getStatus)
                        .filter("True"::equals)
                        .isPresent());
  }

  /** Every condition as {@code type=status/reason: message}, for a failure's description. */
  static List<String> conditions(KubernetesClient client, String namespace, String name) {
    Repository now = client.resources(Repository.class).inNamespace(namespace).withName(name).get();
    return now.getStatus() == null
        ? List.of()
        : now.getStatus().getConditions().stream()
            .map(
                c ->
                    c.getType() + "=" + c.getStatus() + "/" + c.getReason() + ": " + c.getMessage())
            .toList();
  }

  /**
   * No kubelet: once the Repository's Deployment exists and its status does not yet describe its
   * current generation, say what the Deployment controller would.
   */
  static void markAvailableOnce(KubernetesClient client, String namespace, String name) {
    Repository now = client.resources(Repository.class).inNamespace(namespace).withName(name).get();
    if (now.getStatus() == null
        || now.getStatus().getServer() == null
        || now.getStatus().getServer().getServiceName() == null) {
      return;
    }
    String server = now.getStatus().getServer().getServiceName();
    Deployment deployment =
        client.apps().deployments().inNamespace(namespace).withName(server).get();
    if (deployment != null
        && (deployment.getStatus() == null
            || deployment.getStatus().getAvailableReplicas() == null
            || !java.util.Objects.equals(
                deployment.getStatus().getObservedGeneration(),
                deployment.getMetadata().getGeneration()))) {
      markAvailable(client, namespace, server);
    }
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
