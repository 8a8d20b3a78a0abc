package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real {@link RepositoryReconciler} on a real API server with the real kopia binary, driven one
 * pass at a time; every kopia invocation is counted by verb. There is no node, so the server's
 * Deployment is created but never becomes available (ServerReady stays Starting).
 */
final class RealKopiaReconciler implements AutoCloseable {
  static final String PASSWORD = "identity-it-password-1";

  /** Counts the kopia processes the reconciler starts, by verb, beside the real runner. */
  static final class Counting implements KopiaRunner {
    private final KopiaRunner delegate;
    private final List<String> verbs = new CopyOnWriteArrayList<>();

    Counting(KopiaRunner delegate) {
      this.delegate = delegate;
    }

    @Override
    public KopiaResult run(KopiaCommand command) {
      verbs.add(command.verb());
      return delegate.run(command);
    }

    int mark() {
      return verbs.size();
    }

    List<String> since(int mark) {
      return List.copyOf(verbs.subList(mark, verbs.size()));
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final SharedInformers informers;
  private final InformerCache<Repository> repositories;
  private final InformerCache<Secret> secrets;
  private final RepositoryReconciler reconciler;
  final Counting kopia;

  RealKopiaReconciler(KubernetesClient client, String namespace, Path kopiaBinary, Path work)
      throws Exception {
    this(client, namespace, kopiaBinary, work, runner -> runner);
  }

  /** As above, with the reconciler's kopia runner wrapped (bounds, faults) around the counting. */
  RealKopiaReconciler(
      KubernetesClient client,
      String namespace,
      Path kopiaBinary,
      Path work,
      java.util.function.UnaryOperator<KopiaRunner> wrap)
      throws Exception {
    this.client = client;
    this.namespace = namespace;
    RepositoryCrdInstall.shipped(client);
    this.kopia = new Counting(new ProcessKopiaRunner(kopiaBinary));
    this.informers = new SharedInformers(client);
    this.repositories = informers.cache(Repository.class, namespace);
    this.secrets = informers.cache(Secret.class, namespace);
    informers.start();
    informers.awaitSynced(Duration.ofSeconds(30));
    Clock clock = Clock.systemUTC();
    this.reconciler =
        TestReconcilers.reconciler(
            client,
            repositories,
            secrets,
            wrap.apply(kopia),
            work,
            (host, port) -> host + ":" + port,
            clock,
            null,
            "identity-it");
  }

  /**
   * One reconcile pass, as the work queue would run it (a transient failure is rethrown there and
   * retried; here it only ends the pass), then waits until the cache holds the written status.
   *
   * @return the kopia verbs the pass ran
   */
  List<String> pass(String name) {
    int mark = kopia.mark();
    try {
      reconciler.reconcile(new Request(namespace, name));
    } catch (TransientRepositoryException e) {
      // Reported in status before the retry; the test looks there.
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    awaitCached(name, get(name).getMetadata().getResourceVersion());
    return kopia.since(mark);
  }

  RepositoryReconciler reconciler() {
    return reconciler;
  }

  InformerCache<Repository> repositories() {
    return repositories;
  }

  Repository get(String name) {
    return client.resources(Repository.class).inNamespace(namespace).withName(name).get();
  }

  String condition(String name, String type) {
    Condition c = get(name).getStatus().condition(type).orElseThrow();
    return c.getStatus() + "/" + c.getReason();
  }

  String message(String name, String type) {
    return get(name).getStatus().condition(type).orElseThrow().getMessage();
  }

  List<Event> events(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  List<Event> events(String name, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** A Repository named {@code repository-<app>} served as {@code repo-<app>}. */
  Repository create(String app, String locationSecret, Map<String, String> annotations) {
    return create(app, locationSecret, annotations, spec -> {});
  }

  Repository create(
      String app,
      String locationSecret,
      Map<String, String> annotations,
      java.util.function.Consumer<RepositorySpec> specChange) {
    tls(app);
    Repository repository = new Repository();
    repository.getMetadata().setName("repository-" + app);
    repository.getMetadata().setNamespace(namespace);
    repository.getMetadata().setAnnotations(annotations);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(app);
    LocationSpec location = new LocationSpec();
    location.setSecretName(locationSecret);
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    server.setTlsSecretName(app + "-tls");
    spec.setServer(server);
    specChange.accept(spec);
    repository.setSpec(spec);
    Repository created = client.resource(repository).create();
    until(() -> repositories.get(namespace, created.getMetadata().getName()).isPresent());
    return created;
  }

  /** Creates or replaces a filesystem location Secret and waits until the cache has it. */
  void filesystemLocation(String name, Path path) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withStringData(
                Map.of("type", "filesystem", "path", path.toString(), "repo-password", PASSWORD))
            .build();
    String version =
        client.resource(secret).createOr(s -> s.update()).getMetadata().getResourceVersion();
    until(
        () ->
            secrets
                .get(namespace, name)
                .map(s -> s.getMetadata().getResourceVersion())
                .filter(version::equals)
                .isPresent());
  }

  /** Creates or replaces an S3 location Secret and waits until the cache has it. */
  void s3Location(String name, io.kanister.kopia.testsupport.S3Bucket bucket, String prefix) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withStringData(
                Map.of(
                    "type", "s3",
                    "bucket", bucket.bucket(),
                    "endpoint", bucket.endpoint(),
                    "prefix", prefix,
                    "region", bucket.region(),
                    "repo-password", PASSWORD,
                    "access-key", bucket.accessKey(),
                    "secret-access-key", bucket.secretKey()))
            .build();
    String version =
        client.resource(secret).createOr(s -> s.update()).getMetadata().getResourceVersion();
    until(
        () ->
            secrets
                .get(namespace, name)
                .map(s -> s.getMetadata().getResourceVersion())
                .filter(version::equals)
                .isPresent());
  }

  /** Edits the Repository and waits until the cache has the edit. */
  void edit(String name, java.util.function.UnaryOperator<Repository> change) {
    String version =
        client
            .resources(Repository.class)
            .inNamespace(namespace)
            .withName(name)
            .edit(change)
            .getMetadata()
            .getResourceVersion();
    awaitCached(name, version);
  }

  /**
   * Writes {@code changed}'s status as another client would, then waits until the Repository cache
   * holds that version: a pass reads the cache, and one that ran on the older status would see what
   * the write replaced.
   */
  void writeStatus(Repository changed) {
    String version = client.resource(changed).updateStatus().getMetadata().getResourceVersion();
    awaitCached(changed.getMetadata().getName(), version);
  }

  /** Waits until the Repository cache holds {@code version} of the Repository. */
  private void awaitCached(String name, String version) {
    until(
        () ->
            repositories
                .get(namespace, name)
                .map(r -> r.getMetadata().getResourceVersion())
                .filter(version::equals)
                .isPresent());
  }

  /** Waits until the Secret cache holds the Secret as the API server does (or both lack it). */
  void awaitSecretCached(String name) {
    until(
        () -> {
          Secret live = client.secrets().inNamespace(namespace).withName(name).get();
          var cached = secrets.get(namespace, name).map(s -> s.getMetadata().getResourceVersion());
          return live == null
              ? cached.isEmpty()
              : cached.filter(live.getMetadata().getResourceVersion()::equals).isPresent();
        });
  }

  private void tls(String app) {
    String service = "repo-" + app;
    TestPki.Issued issued =
        TestPki.newCa("identity-it-" + app)
            .issueServer(service, List.of(service + "." + namespace + ".svc"), List.of());
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(app + "-tls")
                .withNamespace(namespace)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(Map.of("tls.crt", issued.certPem(), "tls.key", issued.keyPem()))
                .build())
        .create();
  }

  /** Waits up to 20 s for {@code condition}; the caches follow the API server within moments. */
  private static void until(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the informer cache did not catch up within 20s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    informers.close();
    Objects.requireNonNull(client);
  }
}
