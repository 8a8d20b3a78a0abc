package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.kube.LocalCluster;
import io.kanister.kopia.testsupport.kube.RealCluster;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator as users run it, in namespace mode, on the real single-node cluster: the chart
 * installed by the real helm, the operator in a pod as its own ServiceAccount under the chart's
 * RBAC, a Repository on S3 (s3proxy in this JVM, reached from pods through the node), its Kopia
 * server running from the server image, workloads backing up and restoring through it, a killed
 * server pod replaced, and deletion leaving the data in the bucket. One install for all scenarios
 * (issue 11, section 4, a-f and h); they run in order and build on each other.
 */
@RealCluster
@RealKopia
@RealS3
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartNamespaceModeE2E {
  private static final Duration READY = Duration.ofSeconds(240);
  private static final String MOVER_PASSWORD = "mover-blue-password-e2e";

  private static ChartInstall chart;
  private static String namespace;
  private static String target;
  private static String moverImage;
  private static final List<String> secretValues = new ArrayList<>();
  private static final List<String> snapshots = new ArrayList<>();
  private static String bucketPrefix;
  // Set when scenario b's Repository is Ready: the later scenarios fail at once without it.
  private static boolean repositoryReady;
  // Each S3Bucket parameter is a new bucket: the class keeps the one its Repository uses.
  private static S3Bucket bucket;

  @BeforeAll
  static void install(LocalCluster cluster, TestNamespace ns, KopiaSandbox sandbox, S3Bucket s3)
      throws Exception {
    bucket = s3;
    namespace = ns.name();
    moverImage = cluster.images().require("/data-mover:");
    chart = ChartInstall.withNewTarget(cluster, namespace, sandbox.root(), List.of());
    target = chart.target();
  }

  @AfterAll
  static void uninstall() throws Exception {
    if (chart != null) {
      chart.close();
    }
  }

  /** a. The operator pod runs as its own ServiceAccount, with the chart's rights and no more. */
  @Test
  @Order(1)
  void operatorRunsAsItsServiceAccountUnderTheChartsRbac() {
    Pod pod = chart.operatorPods().get(0);
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(chart.name());
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(container.getImage()).contains("/kko/operator:");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    // Not cluster-admin: exec and tokens only in the target namespace, nothing on nodes.
    assertThat(chart.operatorMay("create", "pods", "exec", target)).isTrue();
    assertThat(chart.operatorMay("create", "serviceaccounts", "token", target)).isTrue();
    assertThat(chart.operatorMay("create", "pods", "exec", "default")).isFalse();
    assertThat(chart.operatorMay("create", "serviceaccounts", "token", "default")).isFalse();
    assertThat(chart.operatorMay("get", "secrets", "", "default")).isFalse();
    assertThat(chart.operatorMay("delete", "nodes", "", null)).isFalse();
    assertThat(chart.operatorMay("get", "repositories", "", namespace)).isTrue();
  }

  /**
   * b. A Repository on S3 becomes Ready; its server runs from the server image as uid 65532 on a
   * read-only root, and presents the certificate whose fingerprint status shows.
   */
  @Test
  @Order(2)
  void s3RepositoryBecomesReadyServedFromTheServerImage(LocalCluster cluster) throws Exception {
    KubernetesClient admin = cluster.client();
    String s3 = cluster.exposeHostPort(Integer.parseInt(bucket.hostPort().split(":")[1]));
    bucketPrefix = "chart/";
    var location =
        RepositoryFixtures.s3Location(
            namespace,
            "location",
            new S3Bucket(
                "http://" + s3,
                s3,
                bucket.region(),
                bucket.bucket(),
                bucket.accessKey(),
                bucket.secretKey()),
            bucketPrefix);
    RepositoryFixtures.create(
        admin,
        location,
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", cluster.controlPlane().pki(), "repo-" + target),
        RepositoryFixtures.secret(
            namespace,
            "access",
            "Opaque",
            Map.of("mover-blue", "username: mover\npassword: " + MOVER_PASSWORD + "\n")));
    secretValues.addAll(
        List.of(
            REPO_PASSWORD,
            RepositoryFixtures.UI_PASSWORD,
            RepositoryFixtures.CONTROL_PASSWORD,
            MOVER_PASSWORD,
            bucket.secretKey()));
    Repository repository =
        RepositoryFixtures.repository(namespace, "repo", target, "location", "admin", "tls");
    repository.getSpec().getServer().setAccessSecretNames(List.of("access"));
    long started = System.nanoTime();
    try {
      admin.resource(repository).create();
    } catch (RuntimeException e) {
      System.out.println("Repository create failed: " + e.getMessage());
      throw e;
    }
    E2eSupport.awaitCondition(admin, namespace, "repo", "RepositoryReady", "True", READY);
    E2eSupport.awaitCondition(admin, namespace, "repo", "ServerReady", "True", READY);
    System.out.printf(
        "[figures] chart namespace mode: S3 Repository create to Ready %.1fs%n",
        (System.nanoTime() - started) / 1e9);
    repositoryReady = true;

    Pod server = serverPod(admin);
    Container container = server.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(cluster.images().require("/kopia-server:"));
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    Long uid =
        container.getSecurityContext().getRunAsUser() != null
            ? container.getSecurityContext().getRunAsUser()
            : server.getSpec().getSecurityContext().getRunAsUser();
    assertThat(uid).isEqualTo(65532L);
    assertThat(container.getResources().getLimits()).containsKey("memory");
    var status = server.getStatus().getContainerStatuses().get(0);
    assertThat(status.getReady()).isTrue();
    assertThat(status.getState().getRunning()).isNotNull();
    assertThat(status.getImage()).contains("kko/kopia-server");

    // The certificate the server presents, through a port-forward to the pod.
    String fingerprint =
        E2eSupport.get(admin, namespace, "repo")
            .getStatus()
            .getServer()
            .getCertificateFingerprint();
    try (LocalPortForward forward =
        admin
            .pods()
            .inNamespace(namespace)
            .withName(server.getMetadata().getName())
            .portForward(51515, InetAddress.getLoopbackAddress(), 0)) {
      assertThat(presentedFingerprint(forward.getLocalPort())).isEqualToIgnoringCase(fingerprint);
    }
  }

  /** a. The printer columns, as kubectl gets them: a Table through the API server. */
  @Test
  @Order(3)
  void printerColumnsShowTheRepositoryState(LocalCluster cluster) throws Exception {
    assertThat(repositoryReady).as("scenario b's Repository became Ready").isTrue();
    KubernetesClient admin = cluster.client();
    var http = admin.getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(
                admin.getMasterUrl()
                    + "apis/cr.kanister.io/v1alpha1/namespaces/"
                    + namespace
                    + "/repositories")
            .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
            .build();
    HttpResponse<String> response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).isEqualTo(200);
    String table = response.body();
    System.out.println("[figures] kubectl get repositories (Table): " + table.length() + " bytes");
    assertThat(table)
        .contains("\"kind\":\"Table\"")
        .contains("\"name\":\"Target\"")
        .contains("\"name\":\"Ready\"")
        .contains("\"name\":\"Server\"")
        .contains("\"name\":\"Users\"")
        .contains("\"repo\"")
        .contains("\"" + target + "\"")
        .contains("\"True\"")
        .contains("\"Serving\"");
  }

  /**
   * c. A labelled, annotated StatefulSet gets its client files by real exec, snapshots and restores
   * byte for byte through the Service URL; another workload's user cannot list or delete it.
   */
  @Test
  @Order(4)
  void labelledStatefulSetBacksUpAndRestoresThroughTheServer(LocalCluster cluster)
      throws Exception {
    assertThat(repositoryReady).as("scenario b's Repository became Ready").isTrue();
    KubernetesClient admin = cluster.client();
    for (String name : List.of("db", "other")) {
      admin
          .serviceAccounts()
          .inNamespace(target)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(name + "-backup")
                  .endMetadata()
                  .build())
          .create();
      admin
          .apps()
          .statefulSets()
          .inNamespace(target)
          .resource(
              new StatefulSetBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(Map.of("repo.kanister.io/authn-mode", "service-account"))
                  .withAnnotations(
                      Map.of("repo.kanister.io/client-export-path", MoverPods.CLIENT_ROOT))
                  .endMetadata()
                  .withNewSpec()
                  .withServiceName(name)
                  .withNewSelector()
                  .addToMatchLabels("app", name)
                  .endSelector()
                  .withNewTemplate()
                  .withNewMetadata()
                  .addToLabels("app", name)
                  .endMetadata()
                  .withSpec(MoverPods.spec(moverImage, "mover", name + "-backup"))
                  .endTemplate()
                  .endSpec()
                  .build())
          .create();
    }
    long started = System.nanoTime();
    for (String pod : List.of("db-0", "other-0")) {
      admin
          .pods()
          .inNamespace(target)
          .withName(pod)
          .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), 120, TimeUnit.SECONDS);
    }
    System.out.printf(
        "[figures] two StatefulSet pods Ready %.1fs%n", (System.nanoTime() - started) / 1e9);
    // The operator writes the files into each running pod (real exec, token on stdin).
    for (String pod : List.of("db-0", "other-0")) {
      await()
          .atMost(READY)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  MoverPods.exec(
                              admin,
                              target,
                              pod,
                              "test -s "
                                  + MoverPods.CLIENT_DIR
                                  + "/password"
                                  + " && test -s "
                                  + MoverPods.CLIENT_DIR
                                  + "/repository.config")
                          .code()
                      == 0);
      secretValues.add(
          MoverPods.ok(admin, target, pod, "cat " + MoverPods.CLIENT_DIR + "/password"));
    }
    System.out.printf(
        "[figures] client files in both pods %.1fs after creating the StatefulSets%n",
        (System.nanoTime() - started) / 1e9);
    String config =
        MoverPods.ok(admin, target, "db-0", "cat " + MoverPods.CLIENT_DIR + "/repository.config");
    String url = E2eSupport.get(admin, namespace, "repo").getStatus().getServer().getUrl();
    assertThat(config).contains(url).contains("db-backup");
    assertThat(
            MoverPods.ok(admin, target, "db-0", "stat -c %a " + MoverPods.CLIENT_DIR + "/password"))
        .isEqualTo("600\n");

    String snapshot = MoverPods.snapshotAndRestore(admin, target, "db-0");
    snapshots.add(snapshot);

    // Another workload's user sees no snapshot of db and cannot delete it.
    MoverPods.Result listed =
        MoverPods.kopia(admin, target, "other-0", "snapshot list --all --json");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).doesNotContain(snapshot).doesNotContain("db-backup");
    MoverPods.Result deleted =
        MoverPods.kopia(admin, target, "other-0", "snapshot delete " + snapshot + " --delete");
    assertThat(deleted.code()).as(deleted.out() + deleted.err()).isNotZero();
    MoverPods.Result still =
        MoverPods.kopia(admin, target, "db-0", "snapshot list /data/src --json");
    assertThat(still.out()).contains(snapshot);
  }

  /** d. A predefined user's files, exported with kopia-operator export-client in its pod. */
  @Test
  @Order(5)
  void predefinedUserExportedWithExportClientBacksUpAndRestores(LocalCluster cluster) {
    assertThat(repositoryReady).as("scenario b's Repository became Ready").isTrue();
    KubernetesClient admin = cluster.client();
    long started = System.nanoTime();
    admin
        .pods()
        .inNamespace(target)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("mover")
                .endMetadata()
                .withSpec(MoverPods.spec(moverImage, "mover", "default"))
                .build())
        .create();
    admin
        .pods()
        .inNamespace(target)
        .withName("mover")
        .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), 120, TimeUnit.SECONDS);
    System.out.printf(
        "[figures] data-mover pod Ready %.1fs%n", (System.nanoTime() - started) / 1e9);
    // As docs/users.md: the command in the operator's image, as the operator's ServiceAccount.
    String user = "mover@" + target + ".mover-blue";
    long export = System.nanoTime();
    MoverPods.Result exported =
        MoverPods.execArgs(
            admin,
            namespace,
            chart.operatorPod(),
            "kopia-operator",
            "export-client",
            "--repository=repo",
            "--namespace=" + namespace,
            "--user=" + user,
            "--pod=mover",
            "--container=mover",
            "--dir=" + MoverPods.CLIENT_DIR);
    System.out.printf(
        "[figures] kopia-operator export-client in the operator pod %.1fs%n",
        (System.nanoTime() - export) / 1e9);
    assertThat(exported.code()).as(exported.out() + exported.err()).isZero();
    assertThat(exported.out()).contains("wrote").doesNotContain(MOVER_PASSWORD);
    assertThat(MoverPods.ok(admin, target, "mover", "cat " + MoverPods.CLIENT_DIR + "/password"))
        .isEqualTo(MOVER_PASSWORD);
    snapshots.add(MoverPods.snapshotAndRestore(admin, target, "mover"));
  }

  /** e. A killed server pod is replaced; ServerReady goes False then True; backups go on. */
  @Test
  @Order(6)
  void killedServerPodIsReplacedAndTheNextSnapshotSucceeds(LocalCluster cluster) throws Exception {
    assertThat(repositoryReady).as("scenario b's Repository became Ready").isTrue();
    KubernetesClient admin = cluster.client();
    List<String> seen = new CopyOnWriteArrayList<>();
    Watcher<Repository> recorder =
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, Repository repository) {
            E2eSupport.condition(repository, "ServerReady")
                .ifPresent(c -> seen.add(c.getStatus() + "/" + c.getReason()));
          }

          @Override
          public void onClose(WatcherException cause) {}
        };
    Pod old = serverPod(admin);
    long started = System.nanoTime();
    try (Watch watch =
        admin.resources(Repository.class).inNamespace(namespace).withName("repo").watch(recorder)) {
      admin
          .pods()
          .inNamespace(namespace)
          .withName(old.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
      await()
          .atMost(READY)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                int down = indexOf(seen, "False/");
                return down >= 0
                    && seen.subList(down, seen.size()).stream()
                        .anyMatch(s -> s.startsWith("True/"));
              });
    }
    System.out.printf(
        "[figures] server pod killed to ServerReady True again %.1fs; ServerReady seen %s%n",
        (System.nanoTime() - started) / 1e9, seen);
    Pod replacement = serverPod(admin);
    assertThat(replacement.getMetadata().getUid()).isNotEqualTo(old.getMetadata().getUid());
    // The client's next snapshot succeeds through the new pod.
    MoverPods.ok(admin, target, "db-0", "echo more >> /data/src/small.txt");
    MoverPods.Result next =
        MoverPods.kopia(admin, target, "db-0", "snapshot create /data/src --json");
    assertThat(next.code()).as(next.err()).isZero();
    var id = java.util.regex.Pattern.compile("\"id\":\\s*\"([0-9a-f]+)\"").matcher(next.out());
    assertThat(id.find()).isTrue();
    snapshots.add(id.group(1));
  }

  /**
   * f. Deleting the Repository lets the garbage collector remove the server objects; the snapshots
   * stay in the bucket and open with a direct connection from this JVM.
   */
  @Test
  @Order(7)
  void deletionRemovesTheServerAndKeepsTheSnapshots(LocalCluster cluster, KopiaSandbox sandbox) {
    assertThat(repositoryReady).as("scenario b's Repository became Ready").isTrue();
    KubernetesClient admin = cluster.client();
    String service =
        E2eSupport.get(admin, namespace, "repo").getStatus().getServer().getServiceName();
    long started = System.nanoTime();
    admin.resources(Repository.class).inNamespace(namespace).withName("repo").delete();
    await().atMost(READY).until(() -> E2eSupport.get(admin, namespace, "repo") == null);
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                admin.apps().deployments().inNamespace(namespace).withName(service).get() == null
                    && admin.services().inNamespace(namespace).withName(service).get() == null
                    && admin
                        .apps()
                        .replicaSets()
                        .inNamespace(namespace)
                        .withLabel("app.kubernetes.io/name", "kopia-server")
                        .list()
                        .getItems()
                        .isEmpty()
                    && admin
                        .pods()
                        .inNamespace(namespace)
                        .withLabel("app.kubernetes.io/name", "kopia-server")
                        .list()
                        .getItems()
                        .isEmpty());
    System.out.printf(
        "[figures] Repository delete to server objects gone %.1fs%n",
        (System.nanoTime() - started) / 1e9);

    // Credentials only through the environment, never the command line.
    Map<String, String> env =
        Map.of(
            "KOPIA_PASSWORD", REPO_PASSWORD,
            "AWS_ACCESS_KEY_ID", bucket.accessKey(),
            "AWS_SECRET_ACCESS_KEY", bucket.secretKey());
    KopiaSandbox.Result connected =
        sandbox.exec(
            env,
            "repository",
            "connect",
            "s3",
            "--bucket=" + bucket.bucket(),
            "--endpoint=" + bucket.hostPort(),
            "--disable-tls",
            "--region=" + bucket.region(),
            "--prefix=" + bucketPrefix);
    assertThat(connected.exitCode()).as(connected.stderr()).isZero();
    KopiaSandbox.Result listed = sandbox.exec(env, "snapshot", "list", "--all", "--json");
    assertThat(listed.exitCode()).as(listed.stderr()).isZero();
    assertThat(snapshots).hasSize(3);
    for (String snapshot : snapshots) {
      assertThat(listed.stdout()).contains(snapshot);
    }
  }

  /** h. The operator's log has no 403 and no secret value, across all of the above. */
  @Test
  @Order(8)
  void operatorLogHasNo403AndNoSecret() {
    chart.assertLogsClean(secretValues);
  }

  private static Pod serverPod(KubernetesClient admin) {
    return admin
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/name", "kopia-server")
        .informOnCondition(pods -> pods.stream().anyMatch(Readiness::isPodReady))
        .orTimeout(240, TimeUnit.SECONDS)
        .join()
        .stream()
        .filter(Readiness::isPodReady)
        .findFirst()
        .orElseThrow();
  }

  private static int indexOf(List<String> seen, String prefix) {
    for (int i = 0; i < seen.size(); i++) {
      if (seen.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The SHA-256 of the certificate a TLS server presents; pinning, not trust, is what clients do.
   */
  private static String presentedFingerprint(int port) throws Exception {
    X509Certificate[] presented = new X509Certificate[1];
    TrustManager recordOnly =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            presented[0] = chain[0];
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {recordOnly}, null);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        break;
      } catch (java.io.IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(500);
      }
    }
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(presented[0].getEncoded()));
  }
}
