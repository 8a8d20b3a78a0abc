package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.Helm;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's reconcile under the RBAC the chart ships (and deploy/ is generated from), not as
 * cluster-admin: the operator acts with a TokenRequest token of its own ServiceAccount. A labelled
 * StatefulSet in the target namespace makes every step that reads workloads run.
 */
@RealKubernetes
@RealKopia
class ShippedRbacE2E {
  private static final Duration SETTLE = Duration.ofSeconds(120);

  @Test
  void repositoryWithALabelledWorkloadBecomesReadyUnderTheChartsRbac(
      TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient admin = ns.client();
    LocalOperator.installCrd(admin);
    String namespace = ns.name();
    String target = namespace + "-apps";
    E2eSupport.createNamespace(admin, target);
    String name = chartName(namespace);
    installChartRbac(admin, namespace, name, "namespace", List.of(target));
    String token = token(admin, namespace, name);

    admin
        .serviceAccounts()
        .inNamespace(target)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("backup")
                .withNamespace(target)
                .endMetadata()
                .build())
        .create();
    admin
        .apps()
        .statefulSets()
        .inNamespace(target)
        .resource(
            TestWorkloads.statefulSet(
                target,
                "db",
                "backup",
                Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT),
                Map.of()))
        .create();

    Path repoPath = sandbox.newDir("repository");
    RepositoryFixtures.create(
        admin,
        RepositoryFixtures.filesystemLocation(
            namespace, "location", repoPath.toString(), REPO_PASSWORD),
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-" + target));
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("work"), Duration.ofSeconds(3));

    try (KubernetesClient operatorClient = ns.cluster().clientWithToken(token);
        LocalOperator operator =
            LocalOperator.start(admin, operatorClient, options, sandbox.newDir("local"))) {
      admin
          .resource(
              RepositoryFixtures.repository(namespace, "repo", target, "location", "admin", "tls"))
          .create();

      // Either the pass gets through the users step, or it fails; a failure ends the wait at once.
      Repository settled =
          await()
              .atMost(SETTLE)
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> E2eSupport.get(admin, namespace, "repo"),
                  r ->
                      E2eSupport.condition(r, "UsersReady")
                              .map(c -> "True".equals(c.getStatus()))
                              .orElse(false)
                          || E2eSupport.condition(r, "ServerReady")
                              .map(c -> "ServerStepFailed".equals(c.getReason()))
                              .orElse(false));
      Condition server = E2eSupport.condition(settled, "ServerReady").orElseThrow();
      assertThat(server.getReason())
          .as("ServerReady: %s", server.getMessage())
          .isEqualTo("Serving");
      Condition users = E2eSupport.condition(settled, "UsersReady").orElseThrow();
      assertThat(users.getReason()).isEqualTo("Registered");
      Repository ready = settled;
      assertThat(ready.getStatus().getUsers().getRegistered()).isEqualTo(1);

      // Maintenance under the same RBAC: the fresh repository is due at once, the run takes
      // the maintenance Lease, and its end re-enqueues the Repository.
      Repository maintained =
          await()
              .atMost(SETTLE)
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> E2eSupport.get(admin, namespace, "repo"),
                  r ->
                      r.getStatus().getMaintenance() != null
                          && r.getStatus().getMaintenance().getLastFull() != null);
      Condition maintenance = E2eSupport.condition(maintained, "MaintenanceHealthy").orElseThrow();
      assertThat(maintenance.getReason())
          .as("MaintenanceHealthy: %s", maintenance.getMessage())
          .isEqualTo("Succeeded");
      assertThat(maintained.getStatus().getMaintenance().getOwner())
          .isEqualTo("kopia-operator@" + namespace + ".repo");
    }
  }

  /**
   * The operator as a real process with leader election on (the chart's default), under the chart's
   * RBAC: it takes the Lease, keeps renewing it past the renew deadline, and releases it on
   * SIGTERM. Before the Role granted "patch" on its Lease, every renewal was forbidden and the
   * operator exited after about ten seconds.
   */
  @Test
  void operatorProcessHoldsAndReleasesItsLeaseUnderTheChartsRbac(
      TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient admin = ns.client();
    LocalOperator.installCrd(admin);
    String namespace = ns.name();
    String name = chartName(namespace);
    installChartRbac(admin, namespace, name, "namespace", List.of());
    Path kubeconfig =
        tokenKubeconfig(ns, sandbox.root().resolve("kubeconfig"), token(admin, namespace, name));
    String lease = name + "-leader";
    Path log = sandbox.root().resolve("operator.log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.kanister.kopia.operator.OperatorMain",
            "--repository-scope=namespace",
            "--operator-namespace=" + namespace,
            "--kopia-binary=" + sandbox.binary(),
            "--webhook=false",
            "--leader-elect=true",
            "--lease-name=" + lease,
            "--health-bind-address=127.0.0.1",
            "--health-port=" + BackgroundProcess.freePort(),
            "--work-dir=" + sandbox.newDir("work"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAME", "rbac-e2e");
    Process operator = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var held = admin.leases().inNamespace(namespace).withName(lease).get();
                return held != null && "rbac-e2e".equals(held.getSpec().getHolderIdentity());
              });
      var first = admin.leases().inNamespace(namespace).withName(lease).get().getSpec();
      // Past the renew deadline (10 s): a forbidden renewal would have ended the process.
      Thread.sleep(15_000);
      assertThat(operator.isAlive()).as(Files.readString(log)).isTrue();
      var renewed = admin.leases().inNamespace(namespace).withName(lease).get().getSpec();
      assertThat(renewed.getHolderIdentity()).isEqualTo("rbac-e2e");
      assertThat(renewed.getRenewTime()).isAfter(first.getRenewTime());

      operator.destroy(); // SIGTERM, as the kubelet sends
      assertThat(operator.waitFor(40, TimeUnit.SECONDS)).isTrue();
      assertThat(
              admin
                  .leases()
                  .inNamespace(namespace)
                  .withName(lease)
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .as("lease released")
          .isNullOrEmpty();
      assertThat(Files.readString(log)).doesNotContain("forbidden").doesNotContain(" 403");
    } finally {
      operator.destroyForcibly();
    }
  }

  /**
   * Global mode under the chart's RBAC (scope=global, no target namespaces): the operator creates
   * repository-global, serves it, and issues the shared access credential from a token of its own
   * ServiceAccount, which only the chart's Role (by name) allows.
   */
  @Test
  void globalModeSingletonBecomesReadyUnderTheChartsRbac(TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    KubernetesClient admin = ns.client();
    LocalOperator.installCrd(admin);
    String namespace = ns.name();
    String name = chartName(namespace);
    installChartRbac(admin, namespace, name, "global", List.of());
    String token = token(admin, namespace, name);
    RepositoryFixtures.create(
        admin,
        RepositoryFixtures.filesystemLocation(
            namespace, "repository-global", sandbox.newDir("global").toString(), REPO_PASSWORD));
    // No TLS Secret: the operator issues the server's certificate, under the chart's RBAC.
    OperatorOptions options =
        LocalOperator.options(
            namespace,
            RepositoryScope.GLOBAL,
            sandbox.binary(),
            sandbox.newDir("work"),
            Duration.ofSeconds(30),
            List.of("--service-account=" + name));

    try (KubernetesClient operatorClient = ns.cluster().clientWithToken(token);
        LocalOperator operator =
            LocalOperator.start(admin, operatorClient, options, sandbox.newDir("local"))) {
      Condition users =
          E2eSupport.awaitCondition(
              admin, namespace, Repository.GLOBAL_NAME, "UsersReady", "True", SETTLE);
      assertThat(users.getReason()).isEqualTo("Registered");
      Repository singleton = E2eSupport.get(admin, namespace, Repository.GLOBAL_NAME);
      assertThat(E2eSupport.condition(singleton, "ServerReady").orElseThrow().getReason())
          .isEqualTo("Serving");
      assertThat(singleton.getStatus().getUsers().getRegistered())
          .as("the shared credential from the operator's own ServiceAccount")
          .isEqualTo(1);
    }
  }

  /** Cluster-scoped names carry the namespace, so tests sharing the API server never collide. */
  private static String chartName(String namespace) {
    return "kko-" + namespace.substring(Math.max(0, namespace.length() - 20));
  }

  /** The chart's ServiceAccount and RBAC, rendered by the real helm, applied as admin. */
  private static void installChartRbac(
      KubernetesClient admin, String namespace, String name, String scope, List<String> targets) {
    String rendered =
        Helm.require()
            .template(
                "kopia-operator",
                namespace,
                "--set",
                "fullnameOverride=" + name,
                "--set",
                "scope=" + scope,
                "--set-json",
                "targetNamespaces=["
                    + String.join(",", targets.stream().map(t -> '"' + t + '"').toList())
                    + "]",
                "--show-only",
                "templates/operator/serviceaccount.yaml",
                "--show-only",
                "templates/operator/rbac.yaml");
    List<HasMetadata> rbac =
        admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
    assertThat(rbac).extracting(HasMetadata::getKind).contains("ClusterRole", "Role");
    rbac.forEach(object -> admin.resource(object).create());
  }

  /** A TokenRequest token of the operator's ServiceAccount, as its pod would mount. */
  private static String token(KubernetesClient admin, String namespace, String name) {
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  private static Path tokenKubeconfig(TestNamespace ns, Path file, String token) throws Exception {
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: operator
          user:
            token: %s
        contexts:
        - name: local
          context: {cluster: local, user: operator}
        current-context: local
        """
            .formatted(
                ns.cluster().url(),
                Base64.getEncoder()
                    .encodeToString(ns.cluster().caPem().getBytes(StandardCharsets.UTF_8)),
                token);
    Files.writeString(file, kubeconfig);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
