package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.S3TestServer;
import io.kanister.kopia.testsupport.kube.LocalCluster;
import io.kanister.kopia.testsupport.kube.RealCluster;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13 §3, the fault scenarios where pods matter, on the real node: the Kopia server killed in
 * the middle of a client's snapshot, the server frozen (SIGSTOP), and each object the operator
 * generates deleted while a client is connected. The operator runs from the chart under its own
 * ServiceAccount and the shipped RBAC; the client is a dynamic user's StatefulSet pod whose files
 * the operator writes. One install and one Repository (generated admin and TLS Secrets) serve the
 * scenarios in order; each ends with {@link ServedRepositoryInvariants} and prints its recovery
 * time. The operator runs with its default resync period and hung-server patience (10m, 3m): the
 * frozen server is restarted by the kubelet (its liveness probe asks kopia's metrics listener), not
 * by the operator. The chart sets {@code reconcile.kopiaConcurrency=4} so that the bound on kopia
 * processes in the operator pod is visible while a batch of users converges.
 */
@RealCluster
@RealKopia
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerFaultsE2E {
  private static final Duration READY = Duration.ofSeconds(180);
  private static final String PREFIX = "faults/";
  private static final String CLIENT = "db-0";
  private static final int KOPIA_CONCURRENCY = 4;
  private static final int BATCH = 24;

  private static long classStarted;
  private static ChartInstall chart;
  private static KubernetesClient admin;
  private static S3TestServer s3;
  private static S3Bucket bucket;
  private static String s3HostPort;
  private static String namespace;
  private static String target;
  private static String serviceName;
  private static String firstSnapshot;
  private static ServedRepositoryInvariants invariants;
  private static boolean ready;
  private static final java.util.Set<String> secretValues = new java.util.LinkedHashSet<>();
  private static final List<String> recoveries = new ArrayList<>();

  @BeforeAll
  static void install(LocalCluster cluster, TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    classStarted = System.nanoTime();
    namespace = ns.name();
    target = namespace + "-apps";
    serviceName = "repo-" + target;
    admin = cluster.client();
    s3 = S3TestServer.startPrivate();
    bucket = s3.newBucket();
    s3HostPort = cluster.exposeHostPort(Integer.parseInt(bucket.hostPort().split(":")[1]));
    chart =
        ChartInstall.withNewTarget(
            cluster,
            namespace,
            sandbox.root(),
            List.of(
                "--set",
                "reconcile.kopiaConcurrency=" + KOPIA_CONCURRENCY,
                "--set",
                "reconcile.kopiaPerRepository=" + KOPIA_CONCURRENCY));
  }

  @AfterAll
  static void uninstall(LocalCluster cluster) throws Exception {
    if (chart != null) {
      chart.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  /** A Repository with generated admin and TLS Secrets, and a dynamic user that snapshots. */
  @Test
  @Order(1)
  void aConnectedClientSnapshotsBeforeAnyFault(LocalCluster cluster) throws Exception {
    RepositoryFixtures.create(
        admin, RepositoryFixtures.s3Location(namespace, "location", inCluster(bucket), PREFIX));
    secretValues.addAll(List.of(REPO_PASSWORD, bucket.secretKey()));
    admin
        .resource(RepositoryFixtures.repository(namespace, "repo", target, "location", null, null))
        .create();
    E2eSupport.awaitCondition(admin, namespace, "repo", "ServerReady", "True", READY);

    String image = cluster.images().require("/data-mover:");
    MoverPods.createExportedStatefulSet(admin, target, image);
    admin
        .pods()
        .inNamespace(target)
        .withName(CLIENT)
        .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), 120, TimeUnit.SECONDS);
    awaitClientPins(fingerprint());
    secretValues.add(
        MoverPods.ok(admin, target, CLIENT, "cat " + MoverPods.CLIENT_DIR + "/password"));
    rememberGeneratedSecrets();
    firstSnapshot = MoverPods.snapshotAndRestore(admin, target, CLIENT);
    invariants =
        new ServedRepositoryInvariants(admin, chart, namespace, "repo", target, s3, bucket, PREFIX);
    invariants.check("before any fault", secretValues);
    ready = true;
  }

  /**
   * The server is SIGKILLed from the node while it receives a 48 MB snapshot: the kubelet starts it
   * again, the client's next snapshot succeeds, the earlier snapshot restores byte for byte and
   * every snapshot verifies, through the server and over a direct connection to the bucket.
   */
  @Test
  @Order(2)
  void theServerCrashesInTheMiddleOfAClientSnapshot(LocalCluster cluster, KopiaSandbox sandbox)
      throws Exception {
    assertThat(ready).as("the Repository and its client are ready").isTrue();
    MoverPods.ok(
        admin,
        target,
        CLIENT,
        "mkdir -p /data/big && head -c 48000000 /dev/urandom > /data/big/dump.bin");
    Pod server = serverPod();
    int restarts = restartCount(server);
    java.util.Set<String> before = invariants.blobs();
    CompletableFuture<MoverPods.Result> cut =
        CompletableFuture.supplyAsync(
            () -> MoverPods.kopia(admin, target, CLIENT, "snapshot create /data/big"));
    // The first pack of this snapshot in the bucket: the server is in the middle of receiving it.
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                cut.isDone()
                    || invariants.blobs().stream()
                        .anyMatch(k -> k.startsWith(PREFIX + "p") && !before.contains(k)));
    assertThat(cut.isDone()).as("the snapshot still runs when the server is killed").isFalse();
    ServerProcess process = ServerProcess.of(cluster, server);
    long crashed = System.nanoTime();
    process.signal("KILL");
    MoverPods.Result outcome = cut.get(180, TimeUnit.SECONDS);
    String cutOutcome =
        outcome.code() == 0
            ? "completed (the client retried until the server was back)"
            : "failed: " + lastLine(outcome.err());
    System.out.printf("[figures] server killed mid-snapshot: the cut snapshot %s%n", cutOutcome);

    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                serverPods().stream()
                    .anyMatch(
                        p ->
                            Readiness.isPodReady(p)
                                && (!p.getMetadata().getUid().equals(server.getMetadata().getUid())
                                    || restartCount(p) > restarts)));
    double serving = seconds(crashed);
    E2eSupport.awaitCondition(admin, namespace, "repo", "ServerReady", "True", READY);
    int tries = snapshots("/data/big");
    assertThat(tries).as("the client's next snapshot").isPositive();
    double client = seconds(crashed);

    MoverPods.ok(admin, target, CLIENT, "rm -rf /data/restored-first");
    MoverPods.Result restored =
        MoverPods.kopia(
            admin, target, CLIENT, "snapshot restore " + firstSnapshot + " /data/restored-first");
    assertThat(restored.code()).as("restore of the earlier snapshot: %s", restored.err()).isZero();
    MoverPods.ok(admin, target, CLIENT, "cmp /data/src/table.ibd /data/restored-first/table.ibd");
    MoverPods.Result verified =
        MoverPods.kopia(admin, target, CLIENT, "snapshot verify --verify-files-percent=100");
    assertThat(verified.code()).as("verify through the server: %s", verified.err()).isZero();
    String direct = verifyDirectly(sandbox);
    recoveries.add(
        String.format(
            Locale.ROOT,
            "| server SIGKILLed mid-snapshot (48 MB) | container restarted, Ready %.1f s | %.1f s"
                + " (try %d) | cut snapshot %s; earlier snapshot restored byte for byte; snapshot verify"
                + " (100%% of files) through the server and %s |",
            serving,
            client,
            tries,
            cutOutcome,
            direct));
    invariants.check("server killed mid-snapshot", secretValues);
  }

  /**
   * The server is frozen with SIGSTOP under the operator's default settings: its TCP readiness
   * probe still passes, its liveness probe ({@code GET /metrics} on kopia's metrics listener) does
   * not, so the kubelet kills and restarts the container in place (same pod, no operator {@code
   * ServerRestarted}) and the client snapshots again. First, the metrics page the kubelet reads
   * holds no secret value.
   */
  @Test
  @Order(3)
  void aFrozenServerFailsItsLivenessProbeAndTheKubeletRestartsIt(LocalCluster cluster)
      throws Exception {
    assertThat(ready).as("the Repository and its client are ready").isTrue();
    Pod server = serverPod();
    String uid = server.getMetadata().getUid();
    int restarts = restartCount(server);
    String page = serverMetrics(server);
    assertThat(page).contains("kopia_blob_upload_bytes_total", "process_resident_memory_bytes");
    for (String secret : secretValues) {
      assertThat(page.contains(secret))
          .as("a secret value of length %d", secret.length())
          .isFalse();
    }
    System.out.printf(
        "[figures] server /metrics (plain HTTP, no auth): %d bytes, %d samples, labels %s%n",
        page.length(),
        page.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count(),
        java.util.regex.Pattern.compile("[{,]([a-z_]+)=\"")
            .matcher(page)
            .results()
            .map(m -> m.group(1))
            .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    ServerProcess process = ServerProcess.of(cluster, server);
    java.time.Instant frozenAt = java.time.Instant.now();
    long frozen = System.nanoTime();
    process.signal("STOP");
    try {
      Pod restarted =
          await()
              .atMost(READY)
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () ->
                      serverPods().stream()
                          .filter(p -> p.getMetadata().getUid().equals(uid))
                          .filter(p -> restartCount(p) > restarts && Readiness.isPodReady(p))
                          .findFirst(),
                  java.util.Optional::isPresent)
              .orElseThrow();
      double back = seconds(frozen);
      var status = restarted.getStatus().getContainerStatuses().get(0);
      double killed = secondsAfter(frozenAt, status.getLastState().getTerminated().getFinishedAt());
      double started = secondsAfter(frozenAt, status.getState().getRunning().getStartedAt());
      E2eSupport.awaitCondition(admin, namespace, "repo", "ServerReady", "True", READY);
      double serving = seconds(frozen);
      var events = admin.v1().events().inNamespace(namespace).list().getItems();
      var killing =
          events.stream()
              .filter(e -> "Killing".equals(e.getReason()))
              .filter(e -> server.getMetadata().getName().equals(e.getInvolvedObject().getName()))
              .filter(e -> e.getMessage().contains("liveness"))
              .findFirst();
      assertThat(killing).as("the kubelet's Killing Event for the liveness probe").isPresent();
      assertThat(events).noneMatch(e -> "ServerRestarted".equals(e.getReason()));
      int tries = snapshots("/data/src");
      assertThat(tries).as("the client's snapshot after the restart").isPositive();
      double client = seconds(frozen);
      System.out.printf(
          Locale.ROOT,
          "[figures] frozen server (default operator settings): SIGSTOP to the client's next"
              + " successful snapshot %.1f s (killed %.0f s, container started %.0f s, Ready %.1f"
              + " s, ServerReady %.1f s): %s%n",
          client,
          killed,
          started,
          back,
          serving,
          killing.get().getMessage());
      recoveries.add(
          String.format(
              Locale.ROOT,
              "| server SIGSTOPped (default resync and patience) | liveness kill %.0f s, container"
                  + " started %.0f s, Ready %.1f s, ServerReady %.1f s | %.1f s (try %d) | the"
                  + " kubelet restarted the container in place (restart %d), no ServerRestarted |",
              killed,
              started,
              back,
              serving,
              client,
              tries,
              restartCount(restarted)));
    } finally {
      process.resumeIfStillFrozen();
    }
    invariants.check("server frozen (SIGSTOP)", secretValues);
  }

  /**
   * Each object the operator generates, deleted while the client is connected: the operator makes
   * it again and the client's next snapshot works; when the TLS key changes, the operator writes
   * the client's new files first.
   */
  @Test
  @Order(4)
  void eachGeneratedObjectDeletedUnderAConnectedClientIsRecreated() throws Exception {
    assertThat(ready).as("the Repository and its client are ready").isTrue();
    deleteAndRecover(
        "config Secret", admin.secrets().inNamespace(namespace).withName(serviceName + "-config"));
    deleteAndRecover(
        "generated admin Secret",
        admin.secrets().inNamespace(namespace).withName(serviceName + "-admin"));
    deleteAndRecover(
        "issued TLS Secret", admin.secrets().inNamespace(namespace).withName(serviceName + "-tls"));
    deleteAndRecover("Service", admin.services().inNamespace(namespace).withName(serviceName));
    deleteAndRecover(
        "Deployment", admin.apps().deployments().inNamespace(namespace).withName(serviceName));
    // Watched under the chart's RBAC: back long before the next resync (10 minutes by default).
    deleteAndRecover(
        "users record ConfigMap",
        admin.configMaps().inNamespace(namespace).withName("repo-kopia-users"));
    assertThat(
            admin
                .configMaps()
                .inNamespace(namespace)
                .withName("repo-kopia-users")
                .get()
                .getData()
                .get("users"))
        .as("the rewritten users record")
        .isNotBlank();
  }

  /**
   * A batch of predefined users (an access Secret of {@value #BATCH} entries) converges while the
   * node samples the operator container every 100 ms: never more kopia processes than {@code
   * --kopia-concurrency}, none left after, and the peak RSS and container memory printed.
   */
  @Test
  @Order(5)
  void aBatchOfUsersConvergesWithKopiaProcessesBoundedInTheOperatorPod(LocalCluster cluster)
      throws Exception {
    assertThat(ready).as("the Repository and its client are ready").isTrue();
    Map<String, String> entries = new java.util.LinkedHashMap<>();
    java.security.SecureRandom random = new java.security.SecureRandom();
    for (int i = 1; i <= BATCH; i++) {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      String password = java.util.HexFormat.of().formatHex(bytes);
      secretValues.add(password);
      entries.put("batch-" + i, "username: batch-" + i + "\npassword: " + password + "\n");
    }
    Pod operator =
        chart.operatorPods().stream().filter(Readiness::isPodReady).findFirst().orElseThrow();
    try (OperatorPodProcesses processes = OperatorPodProcesses.start(cluster, operator)) {
      long started = System.nanoTime();
      RepositoryFixtures.create(
          admin, RepositoryFixtures.secret(namespace, "batch", "Opaque", entries));
      // A merge patch without a resourceVersion: the operator writes the status meanwhile.
      admin
          .resources(Repository.class)
          .inNamespace(namespace)
          .withName("repo")
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              "{\"spec\":{\"server\":{\"accessSecretNames\":[\"batch\"]}}}");
      var seen = new java.util.concurrent.atomic.AtomicReference<>("no status yet");
      await()
          .atMost(READY)
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                Repository repository = E2eSupport.get(admin, namespace, "repo");
                var users = repository.getStatus().getUsers();
                String was =
                    seen.getAndSet(
                        (users == null
                                ? "no status.users"
                                : "desired "
                                    + users.getDesired()
                                    + ", registered "
                                    + users.getRegistered()
                                    + ", failed "
                                    + users.getFailedCount()
                                    + " "
                                    + users.getFailed().stream()
                                        .limit(3)
                                        .map(f -> f.getReason() + ": " + f.getMessage())
                                        .toList())
                            + "; UsersReady "
                            + E2eSupport.condition(repository, "UsersReady")
                                .map(
                                    c ->
                                        c.getStatus() + "/" + c.getReason() + ": " + c.getMessage())
                                .orElse("absent")
                            + "; kopia in the operator pod now "
                            + processes.now().kopia());
                // The progress, each time it changes (kopia count aside), for a batch that stalls.
                if (!seen.get()
                    .replaceFirst("; kopia in.*", "")
                    .equals(was.replaceFirst("; kopia in.*", ""))) {
                  System.out.printf(
                      Locale.ROOT, "[figures] batch at %.1f s: %s%n", seconds(started), seen.get());
                }
                // The batch's pass is over: every desired user registered or failed.
                return users != null
                    && users.getDesired() != null
                    && users.getDesired() == BATCH + 1
                    && users.getRegistered() != null
                    && users.getRegistered()
                            + (users.getFailedCount() == null ? 0 : users.getFailedCount())
                        == BATCH + 1;
              });
      double converged = seconds(started);
      if (!E2eSupport.condition(E2eSupport.get(admin, namespace, "repo"), "UsersReady")
          .map(c -> "True".equals(c.getStatus()))
          .orElse(false)) {
        // Seen under load: concurrent 'server users add' processes fail with "unable to load pack
        // indexes despite 10 retries"; the failed user is written by the next pass, which comes
        // at the resync (10 min by default) or, here, when a pass is asked for.
        System.out.printf(Locale.ROOT, "[figures] batch: %s; a pass asked for%n", seen.get());
        E2eSupport.askForPass(admin, namespace, "location");
        E2eSupport.awaitCondition(admin, namespace, "repo", "UsersReady", "True", READY);
        System.out.printf(
            Locale.ROOT, "[figures] batch: every user registered at %.1f s%n", seconds(started));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> processes.now().kopia() == 0);
      double quiet = seconds(started);
      System.out.printf(
          Locale.ROOT,
          "[figures] %d predefined users converged in %.1f s, no kopia left in the operator pod at"
              + " %.1f s (--kopia-concurrency=%d): %s%n",
          BATCH,
          converged,
          quiet,
          KOPIA_CONCURRENCY,
          processes.figures());
      assertThat(processes.peakKopia())
          .as("kopia processes at once in the operator container")
          .isPositive()
          .isLessThanOrEqualTo(KOPIA_CONCURRENCY);
    }
    invariants.check(BATCH + " predefined users added", secretValues);
  }

  /** The recovery table, the operator log (no 403, no secret) and the class's time. */
  @Test
  @Order(6)
  void printsTheRecoveriesAndTheLogIsClean() {
    System.out.println("[figures] server faults on the real node (recovery from the fault):");
    System.out.println("[figures] | fault | server back | client snapshots again | notes |");
    System.out.println("[figures] | --- | --- | --- | --- |");
    recoveries.forEach(r -> System.out.println("[figures] " + r));
    assertThat(recoveries).hasSize(8);
    chart.assertLogsClean(List.copyOf(secretValues));
    System.out.printf(
        "[figures] ServerFaultsE2E: %.1f s from install to the end of the last scenario%n",
        seconds(classStarted));
  }

  private static <T extends HasMetadata> void deleteAndRecover(String what, Resource<T> object)
      throws Exception {
    String uid = object.get().getMetadata().getUid();
    String fingerprint = fingerprint();
    long deleted = System.nanoTime();
    object.delete();
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              T now = object.get();
              return now != null
                  && now.getMetadata().getDeletionTimestamp() == null
                  && !now.getMetadata().getUid().equals(uid);
            });
    double recreated = seconds(deleted);
    // The pass that recreated the object writes what follows from it (a Deployment patch) next.
    sleep(2_000);
    boolean newKey = !awaitConverged().equalsIgnoreCase(fingerprint);
    double converged = seconds(deleted);
    rememberGeneratedSecrets();
    int tries = snapshots("/data/src");
    assertThat(tries).as("%s deleted: the client's next snapshot", what).isPositive();
    double client = seconds(deleted);
    recoveries.add(
        String.format(
            Locale.ROOT,
            "| %s deleted | recreated %.1f s, converged %.1f s | %.1f s (try %d) | %s |",
            what,
            recreated,
            converged,
            client,
            tries,
            newKey ? "new certificate: the client's files were rewritten by the operator" : "-"));
    invariants.check(what + " deleted", secretValues);
  }

  /**
   * Waits until the operator has converged on what it generated: the status presents the
   * certificate of the TLS Secret as it is now, the server Deployment has rolled out one Ready pod,
   * ServerReady and UsersReady are True, and the client's files pin that certificate. Returns the
   * fingerprint.
   */
  private static String awaitConverged() {
    String current =
        await()
            .atMost(READY)
            .pollInterval(Duration.ofMillis(300))
            .until(
                () -> {
                  Secret tls =
                      admin.secrets().inNamespace(namespace).withName(serviceName + "-tls").get();
                  if (tls == null || tls.getData() == null) {
                    return null;
                  }
                  String issued =
                      io.kanister.kopia.core.tls.CertificateFingerprint.of(
                              decode(tls.getData().get("tls.crt")))
                          .hex();
                  Repository repository = E2eSupport.get(admin, namespace, "repo");
                  var deployment =
                      admin.apps().deployments().inNamespace(namespace).withName(serviceName).get();
                  boolean rolledOut =
                      deployment != null
                          && deployment.getStatus() != null
                          && java.util.Objects.equals(
                              deployment.getStatus().getObservedGeneration(),
                              deployment.getMetadata().getGeneration())
                          && Integer.valueOf(1).equals(deployment.getStatus().getUpdatedReplicas())
                          && Integer.valueOf(1).equals(deployment.getStatus().getReadyReplicas())
                          && Integer.valueOf(1).equals(deployment.getStatus().getReplicas());
                  boolean serving =
                      issued.equalsIgnoreCase(
                              repository.getStatus().getServer().getCertificateFingerprint())
                          && E2eSupport.condition(repository, "ServerReady")
                              .map(c -> "True".equals(c.getStatus()))
                              .orElse(false)
                          && E2eSupport.condition(repository, "UsersReady")
                              .map(c -> "True".equals(c.getStatus()))
                              .orElse(false);
                  return rolledOut && serving && serverPods().size() == 1 ? issued : null;
                },
                java.util.Objects::nonNull);
    awaitClientPins(current);
    return current;
  }

  /** Every snapshot of every source, over a direct connection to the bucket from this JVM. */
  private static String verifyDirectly(KopiaSandbox sandbox) {
    Map<String, String> env =
        Map.of(
            "KOPIA_PASSWORD",
            REPO_PASSWORD,
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
            "--prefix=" + PREFIX,
            "--readonly");
    assertThat(connected.exitCode()).as(connected.stderr()).isZero();
    KopiaSandbox.Result listed = sandbox.exec(env, "snapshot", "list", "--all", "--json");
    assertThat(listed.exitCode()).as(listed.stderr()).isZero();
    long count = listed.stdout().lines().filter(l -> l.contains("\"rootEntry\"")).count();
    KopiaSandbox.Result verified =
        sandbox.exec(env, "snapshot", "verify", "--verify-files-percent=100");
    assertThat(verified.exitCode()).as("direct verify: %s", verified.stderr()).isZero();
    sandbox.exec(env, "repository", "disconnect");
    return "directly on the bucket (" + count + " snapshots listed)";
  }

  /**
   * A snapshot through the server; three tries 3 s apart (a Service may route late). Returns the
   * tries it took, 0 when all three failed.
   */
  private static int snapshots(String path) {
    MoverPods.ok(admin, target, CLIENT, "echo more >> /data/src/small.txt");
    for (int attempt = 1; ; attempt++) {
      MoverPods.Result created = MoverPods.kopia(admin, target, CLIENT, "snapshot create " + path);
      if (created.code() == 0) {
        return attempt;
      }
      System.out.printf(
          "[figures] snapshot refused (attempt %d): %s%n", attempt, lastLine(created.err()));
      if (attempt == 3) {
        return 0;
      }
      sleep(3_000);
    }
  }

  /** The passwords and key of the generated admin and TLS Secrets, as they are now. */
  private static void rememberGeneratedSecrets() {
    Secret generatedAdmin =
        admin.secrets().inNamespace(namespace).withName(serviceName + "-admin").get();
    for (String key : List.of("password", "control-password")) {
      secretValues.add(decode(generatedAdmin.getData().get(key)));
    }
    Secret tls = admin.secrets().inNamespace(namespace).withName(serviceName + "-tls").get();
    decode(tls.getData().get("tls.key"))
        .lines()
        .filter(l -> !l.startsWith("-----") && l.length() >= 16)
        .forEach(secretValues::add);
  }

  private static void awaitClientPins(String fingerprint) {
    await()
        .atMost(READY)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              MoverPods.Result config =
                  // The export writes repository.config, then the password file.
                  MoverPods.exec(
                      admin,
                      target,
                      CLIENT,
                      "test -s "
                          + MoverPods.CLIENT_DIR
                          + "/password && cat "
                          + MoverPods.CLIENT_DIR
                          + "/repository.config");
              return config.code() == 0
                  && config
                      .out()
                      .toLowerCase(Locale.ROOT)
                      .contains(fingerprint.toLowerCase(Locale.ROOT));
            });
  }

  private static List<Pod> serverPods() {
    return admin
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/name", "kopia-server")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static Pod serverPod() {
    return await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> serverPods().stream().filter(Readiness::isPodReady).findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static int restartCount(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private static String fingerprint() {
    Repository repository = E2eSupport.get(admin, namespace, "repo");
    return repository.getStatus().getServer().getCertificateFingerprint();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String lastLine(String text) {
    return text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)");
  }

  /** The server pod's {@code /metrics}, through a port-forward to its metrics port. */
  private static String serverMetrics(Pod server) throws Exception {
    int port =
        server.getSpec().getContainers().get(0).getPorts().stream()
            .filter(p -> "metrics".equals(p.getName()))
            .findFirst()
            .orElseThrow()
            .getContainerPort();
    try (var forward =
        admin
            .pods()
            .inNamespace(namespace)
            .withName(server.getMetadata().getName())
            .portForward(port, java.net.InetAddress.getLoopbackAddress(), 0)) {
      var http = java.net.http.HttpClient.newHttpClient();
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/metrics"))
              .timeout(Duration.ofSeconds(20))
              .build();
      var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET /metrics without credentials").isEqualTo(200);
      return response.body();
    }
  }

  /** Seconds from {@code since} to an RFC 3339 time of the API (whole seconds). */
  private static double secondsAfter(java.time.Instant since, String time) {
    return Duration.between(since, java.time.Instant.parse(time)).toMillis() / 1e3;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The bucket as pods reach it: through the node's forward to this JVM's s3proxy. */
  private static S3Bucket inCluster(S3Bucket b) {
    return new S3Bucket(
        "http://" + s3HostPort, s3HostPort, b.region(), b.bucket(), b.accessKey(), b.secretKey());
  }

  /**
   * The server container's main process, found through containerd by the pod's container id and
   * checked to be kopia; signalled by that recorded PID only, and resumed only while it is still
   * the same process (same start time), so a reused PID is never touched.
   */
  private record ServerProcess(long pid, String startTime) {
    static ServerProcess of(LocalCluster cluster, Pod pod) throws Exception {
      long pid =
          cluster.containerPid(pod.getStatus().getContainerStatuses().get(0).getContainerID());
      assertThat(Files.readString(Path.of("/proc/" + pid + "/comm")).strip())
          .as("the server container's process")
          .isEqualTo("kopia");
      return new ServerProcess(pid, startTime(pid));
    }

    void signal(String signal) throws Exception {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }

    void resumeIfStillFrozen() throws Exception {
      if (startTime.equals(startTime(pid))) {
        signal("CONT");
      }
    }

    /** Field 22 of /proc/PID/stat (after the command name in parentheses), or "" if gone. */
    private static String startTime(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return fields[19];
      } catch (java.io.IOException e) {
        return "";
      }
    }
  }
}
