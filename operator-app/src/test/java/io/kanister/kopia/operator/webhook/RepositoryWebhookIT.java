package io.kanister.kopia.operator.webhook;

import static io.kanister.kopia.operator.Repositories.repository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryCrd;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.WebhookRegistration;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook behind a real kube-apiserver: the API server calls it over TLS, checked against the
 * test CA as {@code caBundle}, and its answers reach the client.
 */
@RealKubernetes
class RepositoryWebhookIT {
  private static final String WEBHOOK_NAME = "repositories.cr.kanister.io";
  private static final String DENIED =
      "admission webhook \"" + WEBHOOK_NAME + "\" denied the request: ";
  // The same CRD under a test group without the CEL rules, so an UPDATE reaches the webhook.
  private static final String NO_CEL_GROUP = "webhook-test.kko.test";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @TempDir Path dir;
  private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

  @AfterEach
  void cleanUp() throws Exception {
    while (!cleanup.isEmpty()) {
      cleanup.pop().close();
    }
  }

  @Test
  void globalModeDeniesASecondRepository(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    serve(ns, RepositoryScope.GLOBAL, Repository.GROUP, List.of(ns.name()));
    client.resource(repository(ns.name(), "repository-global", null)).create();

    assertThatThrownBy(() -> client.resource(repository(ns.name(), "second", null)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("global", e))
        .hasMessageContaining(
            DENIED
                + "Repository "
                + ns.name()
                + "/second is not allowed: metadata.name: the operator runs in global mode"
                + " (--repository-scope=global), where the only Repository is the singleton"
                + " 'repository-global'");
    assertThat(client.resources(Repository.class).inNamespace(ns.name()).list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("repository-global");
  }

  @Test
  void namespaceModeDeniesARepositoryWithoutTarget(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    serve(ns, RepositoryScope.NAMESPACE, Repository.GROUP, List.of(ns.name()));
    client.resource(repository(ns.name(), "app-a", "app")).create();
    client.resource(repository(ns.name(), "app-b", "app")).create();

    assertThatThrownBy(() -> client.resource(repository(ns.name(), "no-target", null)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("namespace", e))
        .hasMessageContaining(
            DENIED
                + "Repository "
                + ns.name()
                + "/no-target is not allowed: spec.targetNamespace: is required in namespace mode");
  }

  @Test
  void deniesAFilesystemLocationWithDotDotOrOutsideTheRoots(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    serve(
        ns,
        RepositoryScope.NAMESPACE,
        Repository.GROUP,
        List.of(ns.name()),
        FilesystemRoots.of(List.of("/repositories")));
    String prefix =
        DENIED
            + "Repository "
            + ns.name()
            + "/escape is not allowed: spec.location.secretName: Secret "
            + ns.name()
            + "/location, key 'path' ";

    location(client, ns, "/tmp/../../etc");
    assertThatThrownBy(() -> client.resource(repository(ns.name(), "escape", "app")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("dot-dot", e))
        .hasMessageContaining(prefix + "must not contain '..'")
        .hasMessageContaining("under /repositories");

    location(client, ns, "/etc");
    assertThatThrownBy(() -> client.resource(repository(ns.name(), "escape", "app")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("outside", e))
        .hasMessageContaining(prefix + "is outside the directories the operator may use")
        .hasMessageContaining("--filesystem-roots");

    location(client, ns, "/repositories/app");
    client.resource(repository(ns.name(), "escape", "app")).create();
    assertThat(client.resources(Repository.class).inNamespace(ns.name()).withName("escape").get())
        .isNotNull();
  }

  @Test
  void deniesASecondRepositoryOnTheSameStorage(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    serve(ns, RepositoryScope.NAMESPACE, Repository.GROUP, List.of(ns.name()));
    location(client, ns, "/repositories/shared");
    client.resource(repository(ns.name(), "repository-one", "one")).create();
    // A second Secret naming the same directory, spelled differently.
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(ns.name())
                .withName("location-two")
                .endMetadata()
                .withStringData(
                    Map.of(
                        "type",
                        "filesystem",
                        "path",
                        "/repositories/./shared/",
                        "repo-password",
                        "pw-123456"))
                .build())
        .create();
    Repository second = repository(ns.name(), "repository-two", "two");
    second.getSpec().getLocation().setSecretName("location-two");

    assertThatThrownBy(() -> client.resource(second).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("storage-in-use", e))
        .hasMessageContaining(
            DENIED
                + "Repository "
                + ns.name()
                + "/repository-two is not allowed: spec.location.secretName: Repository "
                + ns.name()
                + "/repository-one already uses this storage (filesystem:/repositories/shared)");

    // Another directory is fine.
    location(client, ns, "/repositories/one");
    client.resource(second).create();
    assertThat(client.resources(Repository.class).inNamespace(ns.name()).list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("repository-one", "repository-two");
  }

  private static void location(KubernetesClient client, TestNamespace ns, String path) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(ns.name())
                .withName("location")
                .endMetadata()
                .withStringData(
                    Map.of("type", "filesystem", "path", path, "repo-password", "pw-123456"))
                .build())
        .createOr(existing -> existing.update());
  }

  @Test
  void deniesRepositoriesOutsideTheOperatorNamespace(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    String other = ns.name() + "-app";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build())
        .create();
    cleanup.push(() -> client.namespaces().withName(other).delete());
    serve(ns, RepositoryScope.NAMESPACE, Repository.GROUP, List.of(ns.name(), other));

    assertThatThrownBy(() -> client.resource(repository(other, "app", other)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("outside", e))
        .hasMessageContaining(
            DENIED
                + "Repository "
                + other
                + "/app is not allowed: metadata.namespace: Repositories must be created in the"
                + " operator namespace '"
                + ns.name()
                + "'");
  }

  @Test
  void celRefusesATargetChangeBeforeTheWebhookIsAsked(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    serve(ns, RepositoryScope.NAMESPACE, Repository.GROUP, List.of(ns.name()));
    client.resource(repository(ns.name(), "app-repo", "app")).create();

    assertThatThrownBy(
            () ->
                client
                    .resources(Repository.class)
                    .inNamespace(ns.name())
                    .withName("app-repo")
                    .edit(
                        r -> {
                          r.getSpec().setTargetNamespace("other");
                          return r;
                        }))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("cel", e))
        .hasMessageContaining("spec.targetNamespace is immutable");
  }

  @Test
  void webhookRefusesATargetChangeWhereCelDoesNot(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.install(client, withoutCel(NO_CEL_GROUP));
    cleanup.push(
        () ->
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(RepositoryCrdInstall.crdName(NO_CEL_GROUP))
                .delete());
    ResourceDefinitionContext noCel =
        new ResourceDefinitionContext.Builder()
            .withGroup(NO_CEL_GROUP)
            .withVersion(Repository.VERSION)
            .withKind(Repository.KIND)
            .withPlural(Repository.PLURAL)
            .withNamespaced(true)
            .build();
    serve(ns, RepositoryScope.NAMESPACE, NO_CEL_GROUP, List.of(ns.name()));
    var repositories = client.genericKubernetesResources(noCel).inNamespace(ns.name());
    repositories.resource(generic(repository(ns.name(), "app-repo", "app"), NO_CEL_GROUP)).create();

    assertThatThrownBy(
            () ->
                repositories
                    .withName("app-repo")
                    .edit(
                        r -> {
                          spec(r).put("targetNamespace", "other");
                          return r;
                        }))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("target", e))
        .hasMessageContaining(
            DENIED
                + "Repository "
                + ns.name()
                + "/app-repo is not allowed: spec.targetNamespace: is immutable: it cannot be"
                + " changed from 'app' to 'other'; keep 'app', or create a new Repository for"
                + " 'other' instead");
  }

  @Test
  void aMissingSecretIsAWarningNotADenial(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    serve(ns, RepositoryScope.NAMESPACE, Repository.GROUP, List.of(ns.name()));
    Repository repository = repository(ns.name(), "app-repo", "app");
    repository.getSpec().getLocation().setSecretName("not-created-yet");

    HttpResponse<String> created = createRaw(ns, repository);

    assertThat(created.code()).isEqualTo(201);
    List<String> warnings = created.headers("Warning");
    System.out.println("[webhook IT] warnings from the API server: " + warnings);
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains(
            "Repository "
                + ns.name()
                + "/app-repo: spec.location.secretName: Secret "
                + ns.name()
                + "/not-created-yet does not exist yet; the Repository will wait until it is"
                + " created");

    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("not-created-yet")
                .withNamespace(ns.name())
                .endMetadata()
                .build())
        .create();
    repository.getMetadata().setName("app-repo-2");
    HttpResponse<String> second = createRaw(ns, repository);
    assertThat(second.code()).isEqualTo(201);
    assertThat(second.headers("Warning")).isEmpty();
  }

  @Test
  void whileTheWebhookIsDownWritesAreRefusedUntilItsConfigurationIsDeleted(TestNamespace ns)
      throws Exception {
    KubernetesClient client = ns.client();
    AdmissionWebhookServer server =
        serve(ns, RepositoryScope.GLOBAL, Repository.GROUP, List.of(ns.name()));
    server.close();

    assertThatThrownBy(
            () -> client.resource(repository(ns.name(), "repository-global", null)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> report("down", e))
        .hasMessageContaining("failed calling webhook \"" + WEBHOOK_NAME + "\"");

    // The documented recovery when the operator cannot come back: delete the configuration.
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(registrationName(ns))
        .delete();
    awaitAllowed(() -> client.resource(repository(ns.name(), "repository-global", null)).create());
    assertThat(
            client
                .resources(Repository.class)
                .inNamespace(ns.name())
                .withName("repository-global")
                .get())
        .isNotNull();
  }

  private AdmissionWebhookServer serve(
      TestNamespace ns, RepositoryScope scope, String group, List<String> namespaces)
      throws Exception {
    return serve(ns, scope, group, namespaces, FilesystemRoots.anywhere());
  }

  private AdmissionWebhookServer serve(
      TestNamespace ns,
      RepositoryScope scope,
      String group,
      List<String> namespaces,
      FilesystemRoots roots)
      throws Exception {
    KubernetesClient client = ns.client();
    LocalControlPlane cluster = ns.cluster();
    RepositoryCrdInstall.shipped(client);
    ServingFiles.write(dir, ServingFiles.forLoopback(cluster.pki()));
    ReloadingKeyManager keys =
        new ReloadingKeyManager(
            dir.resolve("tls.crt"), dir.resolve("tls.key"), Duration.ofSeconds(10));
    RepositoryAdmission admission =
        new RepositoryAdmission(
            scope,
            ns.name(),
            new KubernetesSecretLookup(client),
            roots,
            namespace ->
                client.resources(Repository.class).inNamespace(namespace).list().getItems());
    AdmissionWebhookServer server =
        AdmissionWebhookServer.start(new InetSocketAddress("127.0.0.1", 0), keys, admission);
    cleanup.push(server);
    cleanup.push(
        WebhookRegistration.register(
            client,
            registrationName(ns),
            new WebhookRegistration.Target(
                WEBHOOK_NAME, group, Repository.VERSION, Repository.PLURAL),
            "https://127.0.0.1:" + server.port() + AdmissionWebhookServer.PATH,
            cluster.caPem(),
            namespaces));
    awaitWebhookActive(ns, group);
    return server;
  }

  // The API server picks a new configuration up asynchronously. The probe, a dry run of a
  // Repository without target and not the singleton, is denied in either mode once it is active.
  private void awaitWebhookActive(TestNamespace ns, String group) throws InterruptedException {
    Repository probe = repository(ns.name(), "webhook-probe", null);
    GenericKubernetesResource resource = generic(probe, group);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        ns.client().resource(resource).dryRun().create();
      } catch (KubernetesClientException e) {
        if (e.getMessage().contains(DENIED)) {
          return;
        }
        throw e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the webhook configuration did not take effect within 30s");
      }
      Thread.sleep(100);
    }
  }

  private static void awaitAllowed(Runnable write) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(100);
    }
  }

  private static HttpResponse<String> createRaw(TestNamespace ns, Repository repository)
      throws Exception {
    // The typed client drops response headers; a raw POST keeps the API server's Warning headers.
    var http = ns.client().getHttpClient();
    String url =
        ns.cluster().url()
            + "/apis/"
            + Repository.API_VERSION
            + "/namespaces/"
            + ns.name()
            + "/"
            + Repository.PLURAL;
    repository.setApiVersion(Repository.API_VERSION);
    repository.setKind(Repository.KIND);
    return http.sendAsync(
            http.newHttpRequestBuilder()
                .uri(url)
                .post("application/json", JSON.asJson(repository))
                .build(),
            String.class)
        .get(30, TimeUnit.SECONDS);
  }

  private static String registrationName(TestNamespace ns) {
    return "kko-webhook-it-" + ns.name();
  }

  private static void report(String what, KubernetesClientException e) {
    System.out.println("[webhook IT] " + what + ": HTTP " + e.getCode() + ": " + e.getMessage());
  }

  private static GenericKubernetesResource generic(Repository repository, String group) {
    GenericKubernetesResource resource =
        JSON.convertValue(repository, GenericKubernetesResource.class);
    resource.setApiVersion(group + "/" + Repository.VERSION);
    resource.setKind(Repository.KIND);
    return resource;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    Map<String, Object> spec =
        new HashMap<>((Map<String, Object>) resource.getAdditionalProperties().get("spec"));
    resource.setAdditionalProperty("spec", spec);
    return spec;
  }

  private static CustomResourceDefinition withoutCel(String group) {
    ObjectNode crd = JSON.convertValue(RepositoryCrd.load(), ObjectNode.class);
    removeCel(crd);
    ((ObjectNode) crd.get("metadata")).put("name", RepositoryCrdInstall.crdName(group));
    ((ObjectNode) crd.get("spec")).put("group", group);
    return JSON.convertValue(crd, CustomResourceDefinition.class);
  }

  private static void removeCel(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("x-kubernetes-validations");
    }
    node.forEach(RepositoryWebhookIT::removeCel);
  }
}
