package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.kube.LocalCluster;
import io.kanister.kopia.testsupport.kube.RealCluster;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * g. A global-mode install of the chart on the real node: the operator pod creates the singleton
 * repository-global at start, it becomes Ready, and the webhook served from the operator pod
 * (called by the API server through the webhook Service) denies a second Repository; h. its log has
 * no 403 and no secret value.
 *
 * <p>It has its own operator namespace and release name, and runs only while no other install
 * exists: a global install's webhook judges every namespace and denies Repositories outside its own
 * operator namespace, so {@link ChartNamespaceModeE2E} uninstalls its release when it ends, and
 * this class does too.
 */
@RealCluster
@RealKopia
@RealS3
class ChartGlobalModeE2E {
  private static final Duration READY = Duration.ofSeconds(240);

  @Test
  void globalInstallServesTheSingletonAndItsWebhookDeniesASecondRepository(
      LocalCluster cluster, TestNamespace ns, KopiaSandbox sandbox, S3Bucket bucket)
      throws Exception {
    KubernetesClient admin = cluster.client();
    String namespace = ns.name();
    String s3 = cluster.exposeHostPort(Integer.parseInt(bucket.hostPort().split(":")[1]));
    // The one Secret the --global-* defaults name, made before the operator starts. No TLS Secret:
    // the operator issues the server's certificate itself (issue 15 §3).
    RepositoryFixtures.create(
        admin,
        RepositoryFixtures.s3Location(
            namespace,
            "repository-global",
            new S3Bucket(
                "http://" + s3,
                s3,
                bucket.region(),
                bucket.bucket(),
                bucket.accessKey(),
                bucket.secretKey()),
            "global/"));
    long started = System.nanoTime();
    // Kanister's stand-in: the one ServiceAccount the chart lets read the shared credential.
    admin
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("kanister-reader")
                .endMetadata()
                .build())
        .create();
    try (ChartInstall chart =
        ChartInstall.install(
            cluster,
            namespace,
            "global",
            List.of(),
            sandbox.root(),
            List.of(
                "--set-json",
                "globalClientReaders=[{\"name\":\"kanister-reader\",\"namespace\":\""
                    + namespace
                    + "\"}]"))) {
      E2eSupport.awaitCondition(
          admin, namespace, Repository.GLOBAL_NAME, "RepositoryReady", "True", READY);
      E2eSupport.awaitCondition(
          admin, namespace, Repository.GLOBAL_NAME, "ServerReady", "True", READY);
      System.out.printf(
          "[figures] chart global mode: helm install to repository-global Ready %.1fs%n",
          (System.nanoTime() - started) / 1e9);
      Repository singleton = E2eSupport.get(admin, namespace, Repository.GLOBAL_NAME);
      assertThat(singleton.getSpec().getTargetNamespace()).isNull();
      assertThat(singleton.getStatus().getServer().getServiceName()).isEqualTo("repo-global");
      // Served with the certificate the operator issued into its own Secret; status pins it.
      assertThat(singleton.getSpec().getServer().getTlsSecretName()).isNull();
      io.fabric8.kubernetes.api.model.Secret issued =
          admin.secrets().inNamespace(namespace).withName("repo-global-tls").get();
      assertThat(issued.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(issued.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo(Repository.GLOBAL_NAME));
      String issuedKey = text(issued, "tls.key");
      assertThat(singleton.getStatus().getServer().getCertificateFingerprint())
          .isEqualTo(
              io.kanister.kopia.core.tls.CertificateFingerprint.of(text(issued, "tls.crt")).hex());
      assertThat(
              admin
                  .pods()
                  .inNamespace(namespace)
                  .withLabel("app.kubernetes.io/name", "kopia-server")
                  .list()
                  .getItems())
          .singleElement()
          .satisfies(
              pod ->
                  assertThat(pod.getSpec().getContainers().get(0).getImage())
                      .isEqualTo(cluster.images().require("/kopia-server:")));

      Repository second =
          RepositoryFixtures.repository(
              namespace, "repository-monitoring", "monitoring", "repository-global", null, null);
      String denial =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> {
                    try {
                      admin.resource(second).create();
                      return "created";
                    } catch (KubernetesClientException e) {
                      return e.getMessage();
                    }
                  },
                  message -> message.contains("denied the request") || message.equals("created"));
      System.out.println("[figures] global mode, second Repository: " + denial);
      assertThat(denial).contains("denied the request").contains("global mode");
      assertThat(E2eSupport.get(admin, namespace, "repository-monitoring")).isNull();

      // The chart's dashboard and alerts query only what the operator pod exports.
      E2eSupport.awaitCondition(
          admin, namespace, Repository.GLOBAL_NAME, "UsersReady", "True", READY);
      // The first maintenance runs at once on a new repository; its metrics exist after it.
      await()
          .atMost(READY)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> E2eSupport.get(admin, namespace, Repository.GLOBAL_NAME),
              r ->
                  r.getStatus().getMaintenance() != null
                      && r.getStatus().getMaintenance().getLastFull() != null);
      String metrics = chart.scrapeMetrics();
      java.util.Set<String> queried = MonitoringQueries.metricNames();
      System.out.printf(
          "[figures] monitoring: %d metric names queried by the dashboard and alerts, all in a"
              + " scrape of %d lines%n",
          queried.size(), metrics.lines().count());
      assertThat(queried)
          .contains("kopia_repository_condition", "kopia_command_duration_seconds_bucket");
      assertThat(queried)
          .allSatisfy(
              name ->
                  assertThat(metrics.lines())
                      .as("the operator exports %s", name)
                      .anyMatch(
                          line -> line.startsWith(name + "{") || line.startsWith(name + " ")));
      String serving =
          "kopia_repository_condition{condition=\"ServerReady\",repository=\"repository-global\","
              + "repository_namespace=\""
              + namespace
              + "\"} ";
      assertThat(metrics.lines())
          .anyMatch(line -> line.equals(serving + "1.0") || line.equals(serving + "1"));

      String sharedToken = sharedCredentialSnapshotsFromAPod(cluster, chart, namespace);

      List<String> secrets = new java.util.ArrayList<>(List.of(REPO_PASSWORD, bucket.secretKey()));
      secrets.add(sharedToken);
      // The issued private key, line by line (a log line would hold a piece of it).
      issuedKey.lines().filter(l -> !l.startsWith("-----")).forEach(secrets::add);
      // The generated admin Secret's passwords.
      admin
          .secrets()
          .inNamespace(namespace)
          .withName("repo-global-admin")
          .get()
          .getData()
          .values()
          .stream()
          .map(
              v ->
                  new String(
                      java.util.Base64.getDecoder().decode(v),
                      java.nio.charset.StandardCharsets.UTF_8))
          .filter(v -> v.length() >= 12)
          .forEach(secrets::add);
      assertThat(secrets).hasSizeGreaterThan(2);
      chart.assertLogsClean(secrets);
      // The singleton's finalizer needs the operator: delete it while the operator runs.
      admin
          .resources(Repository.class)
          .inNamespace(namespace)
          .withName(Repository.GLOBAL_NAME)
          .delete();
      await()
          .atMost(READY)
          .until(() -> E2eSupport.get(admin, namespace, Repository.GLOBAL_NAME) == null);
    }
  }

  /**
   * Section 5: global mode's shared credential reaches its users. The operator keeps it in Secret
   * repository-global-client; the chart lets only the listed ServiceAccount read it (by name); a
   * data-mover pod that mounts it, as Kanister would, snapshots and restores through the server.
   * Returns the token, for the log check.
   */
  private static String sharedCredentialSnapshotsFromAPod(
      LocalCluster cluster, ChartInstall chart, String namespace) {
    KubernetesClient admin = cluster.client();
    long started = System.nanoTime();
    io.fabric8.kubernetes.api.model.Secret shared =
        await()
            .atMost(READY)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    admin
                        .secrets()
                        .inNamespace(namespace)
                        .withName("repository-global-client")
                        .get(),
                s -> s != null);
    System.out.printf(
        "[figures] global mode: Secret repository-global-client present %.1fs after Ready%n",
        (System.nanoTime() - started) / 1e9);
    assertThat(shared.getData()).containsKeys("repository.config", "password", "username");
    assertThat(shared.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo(Repository.GLOBAL_NAME));
    // Who may read it: the listed reader, by name; a ServiceAccount without a grant may not.
    assertThat(
            chart.serviceAccountMay(
                namespace,
                "kanister-reader",
                "get",
                "secrets",
                "",
                "repository-global-client",
                namespace))
        .isTrue();
    assertThat(
            chart.serviceAccountMay(
                namespace, "kanister-reader", "get", "secrets", "", "repo-global-admin", namespace))
        .isFalse();
    assertThat(
            chart.serviceAccountMay(
                namespace, "default", "get", "secrets", "", "repository-global-client", namespace))
        .isFalse();

    // A data mover with the Secret mounted (read-only); kopia gets writable copies.
    var spec = MoverPods.spec(cluster.images().require("/data-mover:"), "mover", "default");
    spec.getContainers()
        .get(0)
        .getVolumeMounts()
        .add(
            new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                .withName("shared")
                .withMountPath("/run/kopia-shared")
                .withReadOnly(true)
                .build());
    spec.getVolumes()
        .add(
            new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName("shared")
                .withNewSecret()
                .withSecretName("repository-global-client")
                .withDefaultMode(0444)
                .endSecret()
                .build());
    admin
        .pods()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("global-mover")
                .endMetadata()
                .withSpec(spec)
                .build())
        .create();
    admin
        .pods()
        .inNamespace(namespace)
        .withName("global-mover")
        .waitUntilCondition(
            p -> p != null && io.fabric8.kubernetes.client.readiness.Readiness.isPodReady(p),
            120,
            java.util.concurrent.TimeUnit.SECONDS);
    MoverPods.ok(
        admin,
        namespace,
        "global-mover",
        "mkdir -p "
            + MoverPods.CLIENT_DIR
            + " && cp /run/kopia-shared/repository.config /run/kopia-shared/password "
            + MoverPods.CLIENT_DIR
            + "/");
    MoverPods.snapshotAndRestore(admin, namespace, "global-mover");
    admin.pods().inNamespace(namespace).withName("global-mover").withGracePeriod(0).delete();
    return new String(
        java.util.Base64.getDecoder().decode(shared.getData().get("password")),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String text(io.fabric8.kubernetes.api.model.Secret secret, String key) {
    return new String(
        java.util.Base64.getDecoder().decode(secret.getData().get(key)),
        java.nio.charset.StandardCharsets.US_ASCII);
  }
}
