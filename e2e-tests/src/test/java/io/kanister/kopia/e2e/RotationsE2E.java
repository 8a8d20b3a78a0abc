package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.S3TestServer;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.LocalCluster;
import io.kanister.kopia.testsupport.kube.RealCluster;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16 section 3 on the real node: every rotation of a Repository's Secrets, with two clients
 * exported before it, a dynamic user's StatefulSet pod (files written by the operator) and a
 * predefined user's pod (files written by {@code kopia-operator export-client} from the operator
 * pod). After each rotation both must snapshot through the server. The operator runs from the chart
 * as its own ServiceAccount; S3 is an s3proxy this class owns, so that its key can be rotated. The
 * scenarios run in order in one install; the last prints the rotation matrix.
 */
@RealCluster
@RealKopia
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RotationsE2E {
  private static final Duration READY = Duration.ofSeconds(240);
  private static final String MOVER_PASSWORD = "rotations-mover-password";
  private static final String DYNAMIC = "db-0";
  private static final String PREDEFINED = "mover";

  private static ChartInstall chart;
  private static KubernetesClient client;
  private static S3TestServer s3;
  private static S3Bucket bucket;
  private static String s3HostPort;
  private static String namespace;
  private static String target;
  private static String serviceName;
  private static TestPki pki;
  private static KeyPair tlsKey;
  private static boolean ready;
  private static final List<String> secretValues = new ArrayList<>();
  private static final List<String> matrix = new ArrayList<>();

  @BeforeAll
  static void install(LocalCluster cluster, TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    namespace = ns.name();
    pki = cluster.controlPlane().pki();
    client = cluster.client();
    s3 = S3TestServer.startPrivate();
    bucket = s3.newBucket();
    s3HostPort = cluster.exposeHostPort(Integer.parseInt(bucket.hostPort().split(":")[1]));
    chart = ChartInstall.withNewTarget(cluster, namespace, sandbox.root(), List.of());
    target = chart.target();
    serviceName = "repo-" + target;
  }

  @AfterAll
  static void uninstall() throws Exception {
    if (chart != null) {
      chart.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  /** Both clients exported and snapshotting before any rotation. */
  @Test
  @Order(1)
  void bothClientsSnapshotBeforeAnyRotation(LocalCluster cluster) {
    KubernetesClient admin = cluster.client();
    TestPki.Issued tls = issue(TestPki.newRsaKey());
    tlsKey = tls.key();
    RepositoryFixtures.create(
        admin,
        RepositoryFixtures.s3Location(namespace, "location", inCluster(bucket), "rotations/"),
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.secret(
            namespace,
            "tls",
            "kubernetes.io/tls",
            Map.of("tls.crt", tls.certPem(), "tls.key", tls.keyPem())),
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
    admin.resource(repository).create();
    E2eSupport.awaitCondition(admin, namespace, "repo", "ServerReady", "True", READY);

    String image = cluster.images().require("/data-mover:");
    MoverPods.createExportedStatefulSet(admin, target, image);
    admin
        .pods()
        .inNamespace(target)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(PREDEFINED)
                .endMetadata()
                .withSpec(MoverPods.spec(image, "mover", "default"))
                .build())
        .create();
    for (String pod : List.of(DYNAMIC, PREDEFINED)) {
      admin
          .pods()
          .inNamespace(target)
          .withName(pod)
          .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), 120, TimeUnit.SECONDS);
    }
    // The operator writes the dynamic user's files into <annotation>/<repository>/.
    awaitFingerprintIn(admin, DYNAMIC, fingerprint(admin));
    secretValues.add(
        MoverPods.ok(admin, target, DYNAMIC, "cat " + MoverPods.CLIENT_DIR + "/password"));
    exportPredefined(admin);
    MoverPods.snapshotAndRestore(admin, target, DYNAMIC);
    MoverPods.snapshotAndRestore(admin, target, PREDEFINED);
    ready = true;

    // A dynamic user without the export annotation: registered, and named as unusable.
    admin
        .apps()
        .statefulSets()
        .inNamespace(target)
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName("noexport")
                .withLabels(Map.of("repo.kanister.io/authn-mode", "service-account"))
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withServiceName("noexport")
                .withNewSelector()
                .addToMatchLabels("app", "noexport")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "noexport")
                .endMetadata()
                .withSpec(MoverPods.spec(image, "mover", "default"))
                .endTemplate()
                .endSpec()
                .build())
        .create();
    var note = awaitUsersReady(admin, c -> c.getMessage().contains("noexport"));
    System.out.println(
        "[figures] UsersReady with an unannotated dynamic user: " + note.getMessage());
    assertThat(note.getMessage()).contains("cannot be used").contains("client-export-path");
  }

  /** Labels, annotations and a re-apply of every referenced Secret: no value changes. */
  @Test
  @Order(2)
  void editsThatChangeNoValueDoNotRestartTheServer(LocalCluster cluster) throws Exception {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    KubernetesClient admin = cluster.client();
    Pod server = serverPod(admin);
    Deployment before = deployment(admin);
    for (String name : List.of("location", "admin", "tls", "access")) {
      edit(admin, name, s -> s.getMetadata().getLabels().put("team", "storage"));
      edit(
          admin,
          name,
          s -> s.getMetadata().getAnnotations().put("example.com/reviewed", "2026-12-01"));
      // A re-apply: the same values written again, as stringData.
      edit(
          admin,
          name,
          s -> {
            Map<String, String> same = new HashMap<>();
            s.getData().forEach((k, v) -> same.put(k, decode(v)));
            s.setStringData(same);
          });
    }
    // Each edit triggers a reconcile through the Secret watch; give them time to act.
    Thread.sleep(20_000);
    Deployment after = deployment(admin);
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
    assertThat(serverPod(admin).getMetadata().getUid()).isEqualTo(server.getMetadata().getUid());
    row("labels, annotations, re-apply of all 4 Secrets", false, 0, false);
  }

  /** cert-manager renews with the same key: tls.crt changes, tls.key does not. */
  @Test
  @Order(3)
  void tlsRenewalWithTheSameKey(LocalCluster cluster) {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    renewTls(cluster.client(), issue(tlsKey), "TLS renewal, same key");
  }

  /** cert-manager renews with a new key (rotationPolicy: Always). */
  @Test
  @Order(4)
  void tlsRenewalWithANewKey(LocalCluster cluster) {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    TestPki.Issued renewed = issue(TestPki.newRsaKey());
    tlsKey = renewed.key();
    renewTls(cluster.client(), renewed, "TLS renewal, new key");
  }

  /** New UI (admin) and control passwords in the admin Secret. */
  @Test
  @Order(5)
  void adminAndControlPasswordChange(LocalCluster cluster) {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    KubernetesClient admin = cluster.client();
    Pod old = serverPod(admin);
    long started = System.nanoTime();
    String ui = "rotated-ui-password-2";
    String control = "rotated-control-password-2";
    secretValues.addAll(List.of(ui, control));
    edit(admin, "admin", s -> s.setStringData(Map.of("password", ui, "control-password", control)));
    awaitNewServer(admin, old);
    double seconds = (System.nanoTime() - started) / 1e9;
    E2eSupport.awaitCondition(admin, namespace, "repo", "UsersReady", "True", READY);
    row("admin + control password", true, seconds, false);
  }

  /**
   * The storage's access key is rotated (s3proxy now accepts only the new one) and the location
   * Secret updated: the server restarts with the new repo.config, and the operator's own connection
   * reconnects with it (RepositoryReady is only True after a connect with the new key).
   */
  @Test
  @Order(6)
  void s3AccessKeyRotation(LocalCluster cluster) throws Exception {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    KubernetesClient admin = cluster.client();
    Pod old = serverPod(admin);
    long started = System.nanoTime();
    String oldKey = bucket.accessKey();
    bucket = s3.rotateCredentials(bucket);
    secretValues.add(bucket.secretKey());
    assertThat(bucket.accessKey()).isNotEqualTo(oldKey);
    edit(
        admin,
        "location",
        s ->
            s.setStringData(
                Map.of("access-key", bucket.accessKey(), "secret-access-key", bucket.secretKey())));
    awaitNewServer(admin, old);
    double seconds = (System.nanoTime() - started) / 1e9;
    var repositoryReady =
        E2eSupport.awaitCondition(admin, namespace, "repo", "RepositoryReady", "True", READY);
    System.out.printf(
        "[figures] S3 key rotation: RepositoryReady %s/%s: %s%n",
        repositoryReady.getStatus(), repositoryReady.getReason(), repositoryReady.getMessage());
    row("S3 access key (s3proxy restarted with a new key)", true, seconds, false);
  }

  /**
   * The repository password in the Secret changed without {@code kopia repository change-password}:
   * InvalidPassword, nothing changed, the running server and its clients go on. Putting the right
   * password back heals it without a restart.
   */
  @Test
  @Order(7)
  void aRepositoryPasswordChangeInTheSecretIsRefusedAndChangesNothing(LocalCluster cluster)
      throws Exception {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    KubernetesClient admin = cluster.client();
    Pod server = serverPod(admin);
    long generation = deployment(admin).getMetadata().getGeneration();
    edit(admin, "location", s -> s.setStringData(Map.of("repo-password", "not-the-password")));
    var refused =
        E2eSupport.awaitReason(
            admin, namespace, "repo", "RepositoryReady", "InvalidPassword", READY);
    System.out.println(
        "[figures] repository password changed in the Secret: " + refused.getMessage());
    assertThat(refused.getMessage()).contains("nothing was changed").doesNotContain(REPO_PASSWORD);
    assertThat(deployment(admin).getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(serverPod(admin).getMetadata().getUid()).isEqualTo(server.getMetadata().getUid());
    boolean dynamic = snapshots(admin, DYNAMIC);
    boolean predefined = snapshots(admin, PREDEFINED);
    edit(admin, "location", s -> s.setStringData(Map.of("repo-password", REPO_PASSWORD)));
    E2eSupport.awaitCondition(admin, namespace, "repo", "RepositoryReady", "True", READY);
    Thread.sleep(5_000);
    assertThat(deployment(admin).getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(serverPod(admin).getMetadata().getUid()).isEqualTo(server.getMetadata().getUid());
    matrix.add(
        String.format(
            "| repository password in the Secret only (InvalidPassword; put back) | no | %s | %s"
                + " | - |",
            dynamic ? "ok" : "FAILED", predefined ? "ok" : "FAILED"));
    assertThat(dynamic && predefined).isTrue();
  }

  /**
   * The documented way to change the repository password: {@code kopia repository change-password}
   * over a direct connection (passwords in the environment only), then the new password in the
   * Secret. The operator reconnects, the server restarts with it, and clients go on.
   */
  @Test
  @Order(8)
  void aRepositoryPasswordChangedProperlyKeepsEveryClientWorking(
      LocalCluster cluster, KopiaSandbox sandbox) {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    KubernetesClient admin = cluster.client();
    String changed = "rotations-new-repository-password";
    secretValues.add(changed);
    Map<String, String> env =
        Map.of(
            "KOPIA_PASSWORD",
            REPO_PASSWORD,
            "KOPIA_NEW_PASSWORD",
            changed,
            "AWS_ACCESS_KEY_ID",
            bucket.accessKey(),
            "AWS_SECRET_ACCESS_KEY",
            bucket.secretKey());
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
            "--prefix=rotations/");
    assertThat(connected.exitCode()).as(connected.stderr()).isZero();
    KopiaSandbox.Result result = sandbox.exec(env, "repository", "change-password");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Pod old = serverPod(admin);
    long started = System.nanoTime();
    edit(admin, "location", s -> s.setStringData(Map.of("repo-password", changed)));
    awaitNewServer(admin, old);
    double seconds = (System.nanoTime() - started) / 1e9;
    E2eSupport.awaitCondition(admin, namespace, "repo", "RepositoryReady", "True", READY);
    row(
        "repository password: kopia repository change-password, then the Secret",
        true,
        seconds,
        false);
  }

  /**
   * The spec stops naming a TLS Secret: the operator issues a self-signed certificate into its own
   * Secret and clients follow. Then that certificate is about to expire (a month of ten left): the
   * operator renews it, and clients follow the same way (docs/tls.md).
   */
  @Test
  @Order(9)
  void operatorIssuedCertificateAndItsRenewal(LocalCluster cluster) {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    KubernetesClient admin = cluster.client();
    String issuedSecret = serviceName + "-tls";
    String issued =
        followCertificateChange(
            admin,
            "tlsSecretName removed: operator-issued certificate",
            () ->
                admin
                    .resources(Repository.class)
                    .inNamespace(namespace)
                    .withName("repo")
                    .edit(
                        r -> {
                          r.getSpec().getServer().setTlsSecretName(null);
                          return r;
                        }));
    Secret held = admin.secrets().inNamespace(namespace).withName(issuedSecret).get();
    assertThat(held.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(
            io.kanister.kopia.core.tls.CertificateFingerprint.of(
                    new String(
                        java.util.Base64.getDecoder().decode(held.getData().get("tls.crt")),
                        java.nio.charset.StandardCharsets.US_ASCII))
                .hex())
        .isEqualTo(issued);
    addKeyLines(held);

    java.time.Instant now = java.time.Instant.now();
    var nearExpiry =
        io.kanister.kopia.core.tls.SelfSignedCertificate.issue(
            serviceName,
            List.of(
                serviceName,
                serviceName + "." + namespace,
                serviceName + "." + namespace + ".svc",
                serviceName + "." + namespace + ".svc.cluster.local"),
            now.minus(Duration.ofDays(270)),
            now.plus(Duration.ofDays(30)));
    String renewed =
        followCertificateChange(
            admin,
            "operator-issued certificate renewed (a month left)",
            () ->
                edit(
                    admin,
                    issuedSecret,
                    s ->
                        s.setStringData(
                            Map.of(
                                "tls.crt",
                                nearExpiry.certificatePem(),
                                "tls.key",
                                nearExpiry.privateKeyPem().reveal()))));
    assertThat(renewed).isNotEqualTo(issued).isNotEqualTo(nearExpiry.fingerprint().hex());
    addKeyLines(admin.secrets().inNamespace(namespace).withName(issuedSecret).get());
  }

  private static void addKeyLines(Secret tls) {
    new String(
            java.util.Base64.getDecoder().decode(tls.getData().get("tls.key")),
            java.nio.charset.StandardCharsets.US_ASCII)
        .lines()
        .filter(l -> !l.startsWith("-----") && l.length() >= 16)
        .forEach(secretValues::add);
  }

  /**
   * Issue 13's cut between a dynamic user's password change and its re-export, on the real node
   * with the operator from the chart. Tokens live only in the leader's memory, so a new leader
   * (here the SIGKILLed container, restarted in its pod) sets a new token as the user's password
   * and then writes it into db-0. With db-0's container paused (the runtime refuses the exec), a
   * new leader stops exactly between the two: UsersReady False, ReexportFailed naming db-0, while
   * Kopia already has a password db-0 lacks. That leader is SIGKILLed there and db-0 resumed; the
   * next leader, knowing no token, sets one again and writes it into db-0, whose data mover
   * snapshots through the server.
   */
  @Test
  @Order(10)
  void theLeaderKilledBetweenATokenChangeAndItsReexport(LocalCluster cluster) throws Exception {
    assertThat(ready).as("the Repository and both clients are ready").isTrue();
    KubernetesClient admin = cluster.client();
    String passwordFile = "cat " + MoverPods.CLIENT_DIR + "/password";
    String before = MoverPods.ok(admin, target, DYNAMIC, passwordFile);
    String db = containerId(admin.pods().inNamespace(target).withName(DYNAMIC).get());
    ServedRepositoryInvariants invariants =
        new ServedRepositoryInvariants(
            admin, chart, namespace, "repo", target, s3, bucket, "rotations/");
    long killed;
    cluster.pauseContainer(db);
    try {
      long start = System.nanoTime();
      String first = killLeader(cluster, admin);
      var stuck =
          awaitUsersReady(
              admin,
              c -> "ReexportFailed".equals(c.getReason()) && c.getMessage().contains(DYNAMIC));
      String second = holder(admin);
      System.out.printf(
          "[figures] re-export cut on the real node: leader %s SIGKILLed; %.1f s later the next"
              + " leader (%s) had set a new token and could not write it into the paused %s: %s%n",
          first, (System.nanoTime() - start) / 1e9, second, DYNAMIC, stuck.getMessage());
      assertThat(stuck.getMessage()).doesNotContain(before);
      killLeader(cluster, admin);
      killed = System.nanoTime();
    } finally {
      cluster.resumeContainer(db);
    }
    String after =
        await()
            .atMost(READY)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  MoverPods.Result read = MoverPods.exec(admin, target, DYNAMIC, passwordFile);
                  return read.code() == 0 ? read.out() : null;
                },
                p -> p != null && !p.isBlank() && !p.equals(before));
    secretValues.add(after);
    double rewritten = (System.nanoTime() - killed) / 1e9;
    assertThat(snapshots(admin, DYNAMIC))
        .as("db-0's data mover snapshots with the files the next leader wrote")
        .isTrue();
    double snapshotted = (System.nanoTime() - killed) / 1e9;
    E2eSupport.awaitCondition(admin, namespace, "repo", "UsersReady", "True", READY);
    invariants.check("operator killed between a token change and its re-export", secretValues);
    System.out.printf(
        "[figures] re-export cut on the real node: the leader killed between its token change and"
            + " the re-export; leader %s rewrote %s's password %.1f s after the kill, its data"
            + " mover snapshotted %.1f s after it%n",
        holder(admin), DYNAMIC, rewritten, snapshotted);
  }

  /** The Repository's UsersReady condition, once it is there and {@code wanted}. */
  private static io.kanister.kopia.model.status.Condition awaitUsersReady(
      KubernetesClient admin,
      java.util.function.Predicate<io.kanister.kopia.model.status.Condition> wanted) {
    return await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                E2eSupport.condition(E2eSupport.get(admin, namespace, "repo"), "UsersReady")
                    .orElse(null),
            c -> c != null && wanted.test(c));
  }

  /** SIGKILLs the container of the operator pod that holds the Lease; returns its name. */
  private static String killLeader(LocalCluster cluster, KubernetesClient admin) throws Exception {
    String leader =
        await()
            .atMost(READY)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> holder(admin), h -> !h.isEmpty());
    Pod pod = admin.pods().inNamespace(namespace).withName(leader).get();
    long pid = cluster.containerPid(containerId(pod));
    assertThat(
            java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/comm")).strip())
        .as("the operator container's process")
        .isEqualTo("java");
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -KILL %d", pid).isZero();
    return leader;
  }

  /** The holder of the chart's Lease ({@code <release>-leader}), or "" while none holds it. */
  private static String holder(KubernetesClient admin) {
    return admin.leases().inNamespace(namespace).list().getItems().stream()
        .filter(l -> l.getMetadata().getName().endsWith("-leader"))
        .map(l -> l.getSpec().getHolderIdentity())
        .filter(h -> h != null)
        .findFirst()
        .orElse("");
  }

  private static String containerId(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getContainerID();
  }

  /** The matrix, and the operator log: no 403, no value of any Secret, old or new. */
  @Test
  @Order(11)
  void printsTheRotationMatrixAndTheLogIsClean() {
    System.out.println("[figures] rotation matrix (snapshot through the server after rotation):");
    System.out.println(
        "[figures] | rotation | server restarted | dynamic user (operator re-export) |"
            + " predefined user (export-client) | seconds to serving |");
    System.out.println("[figures] | --- | --- | --- | --- | --- |");
    matrix.forEach(r -> System.out.println("[figures] " + r));
    assertThat(matrix).hasSize(9).noneMatch(r -> r.contains("FAILED"));
    chart.assertLogsClean(secretValues);
  }

  private static void renewTls(KubernetesClient admin, TestPki.Issued renewed, String what) {
    followCertificateChange(
        admin,
        what,
        () ->
            edit(
                admin,
                "tls",
                s ->
                    s.setStringData(
                        Map.of("tls.crt", renewed.certPem(), "tls.key", renewed.keyPem()))));
  }

  /**
   * A change of the server's certificate, whatever made it: the server restarts, both clients'
   * files pin the new fingerprint, the Event says so, and both snapshot. Returns the fingerprint.
   */
  private static String followCertificateChange(
      KubernetesClient admin, String what, Runnable change) {
    Pod old = serverPod(admin);
    String before = fingerprint(admin);
    long started = System.nanoTime();
    change.run();
    awaitNewServer(admin, old);
    double seconds = (System.nanoTime() - started) / 1e9;
    String after =
        await()
            .atMost(READY)
            .until(() -> fingerprint(admin), f -> f != null && !f.equalsIgnoreCase(before));
    // The dynamic user's pod gets a config pinning the new certificate, without anyone acting.
    awaitFingerprintIn(admin, DYNAMIC, after);
    System.out.printf(
        "[figures] %s: dynamic user's repository.config pins the new fingerprint %.1fs after the"
            + " Secret changed%n",
        what, (System.nanoTime() - started) / 1e9);
    // The predefined user's files, written by export-client, follow too: export-client recorded
    // its target, and the operator writes the renewed files into it.
    awaitFingerprintIn(admin, PREDEFINED, after);
    System.out.printf(
        "[figures] %s: predefined user's (export-client) repository.config pins the new"
            + " fingerprint %.1fs after the Secret changed%n",
        what, (System.nanoTime() - started) / 1e9);
    var event =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    admin.v1().events().inNamespace(namespace).list().getItems().stream()
                        .filter(e -> "ServerCertificateRenewed".equals(e.getReason()))
                        .filter(e -> e.getMessage().contains(after.substring(0, 16)))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    System.out.printf(
        "[figures] %s: Event %s %s: %s%n",
        what, event.getType(), event.getReason(), event.getMessage());
    row(what, true, seconds, false);
    return after;
  }

  /** Snapshots from both clients and records the row. */
  private static void row(String rotation, boolean restarted, double seconds, boolean reexported) {
    KubernetesClient admin = client;
    boolean dynamic = snapshots(admin, DYNAMIC);
    boolean predefined = snapshots(admin, PREDEFINED);
    matrix.add(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s |",
            rotation,
            restarted ? "yes" : "no",
            dynamic ? "ok" : "FAILED",
            predefined ? (reexported ? "ok after export-client again" : "ok") : "FAILED",
            restarted ? String.format(Locale.ROOT, "%.1f", seconds) : "-"));
    assertThat(dynamic).as("%s: the dynamic user snapshots", rotation).isTrue();
    assertThat(predefined).as("%s: the predefined user snapshots", rotation).isTrue();
  }

  /**
   * A snapshot through the server; tried three times, 3 s apart, since a Service may take a moment
   * to route to a pod that just became Ready.
   */
  private static boolean snapshots(KubernetesClient admin, String pod) {
    MoverPods.ok(admin, target, pod, "echo more >> /data/src/small.txt");
    for (int attempt = 1; ; attempt++) {
      MoverPods.Result created = MoverPods.kopia(admin, target, pod, "snapshot create /data/src");
      if (created.code() == 0) {
        return true;
      }
      System.out.printf(
          "[figures] snapshot in %s refused (attempt %d): %s%n",
          pod, attempt, created.err().lines().reduce((a, b) -> b).orElse(""));
      if (attempt == 3) {
        return false;
      }
      sleep(3_000);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void exportPredefined(KubernetesClient admin) {
    MoverPods.Result exported =
        MoverPods.execArgs(
            admin,
            namespace,
            chart.operatorPod(),
            "kopia-operator",
            "export-client",
            "--repository=repo",
            "--namespace=" + namespace,
            "--user=mover@" + target + ".mover-blue",
            "--pod=" + PREDEFINED,
            "--container=mover",
            "--dir=" + MoverPods.CLIENT_DIR);
    assertThat(exported.code()).as(exported.out() + exported.err()).isZero();
  }

  private static void awaitFingerprintIn(KubernetesClient admin, String pod, String fingerprint) {
    await()
        .atMost(READY)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              MoverPods.Result config =
                  MoverPods.exec(
                      admin, target, pod, "cat " + MoverPods.CLIENT_DIR + "/repository.config");
              return config.code() == 0
                  && config
                      .out()
                      .toLowerCase(Locale.ROOT)
                      .contains(fingerprint.toLowerCase(Locale.ROOT));
            });
  }

  /** The old server pod is gone and a new one is Ready, and the operator says it serves. */
  private static void awaitNewServer(KubernetesClient admin, Pod old) {
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              List<Pod> pods = serverPods(admin);
              return pods.size() == 1
                  && !pods.get(0).getMetadata().getUid().equals(old.getMetadata().getUid())
                  && Readiness.isPodReady(pods.get(0));
            });
    // The operator probes the new pod before it reports ServerReady again.
    sleep(3_000);
    E2eSupport.awaitCondition(admin, namespace, "repo", "ServerReady", "True", READY);
    E2eSupport.awaitCondition(admin, namespace, "repo", "UsersReady", "True", READY);
  }

  private static List<Pod> serverPods(KubernetesClient admin) {
    return admin
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/name", "kopia-server")
        .list()
        .getItems();
  }

  private static Pod serverPod(KubernetesClient admin) {
    return await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> serverPods(admin).stream().filter(Readiness::isPodReady).findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static Deployment deployment(KubernetesClient admin) {
    return admin.apps().deployments().inNamespace(namespace).withName(serviceName).get();
  }

  private static String fingerprint(KubernetesClient admin) {
    Repository repository = E2eSupport.get(admin, namespace, "repo");
    return repository.getStatus().getServer().getCertificateFingerprint();
  }

  private static void edit(KubernetesClient admin, String name, Consumer<Secret> change) {
    admin
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            s -> {
              if (s.getMetadata().getLabels() == null) {
                s.getMetadata().setLabels(new HashMap<>());
              }
              if (s.getMetadata().getAnnotations() == null) {
                s.getMetadata().setAnnotations(new HashMap<>());
              }
              change.accept(s);
              return s;
            });
  }

  private static String decode(String base64) {
    return new String(
        java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static TestPki.Issued issue(KeyPair key) {
    return pki.issueServer(
        serviceName,
        List.of(serviceName + "." + namespace + ".svc", serviceName, "localhost"),
        List.of("127.0.0.1"),
        key);
  }

  /** The bucket as pods reach it: through the node's forward to this JVM's s3proxy. */
  private static S3Bucket inCluster(S3Bucket b) {
    return new S3Bucket(
        "http://" + s3HostPort, s3HostPort, b.region(), b.bucket(), b.accessKey(), b.secretKey());
  }
}
