package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.E2eSupport.awaitCondition;
import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.EnsureOutcome;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.ServerClientCommands;
import io.kanister.kopia.core.command.ServerCredentials;
import io.kanister.kopia.core.command.SnapshotCommands;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.output.SnapshotManifest;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.cli.StatusCommand;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole life of one Repository on the real parts: Secrets and a Repository become a real Kopia
 * repository served by a real Kopia server started from the operator's own Deployment; policy edits
 * reach Kopia; steady state runs no kopia; a deleted Deployment comes back; a restarted operator
 * changes nothing; deletion removes the server and keeps the data.
 */
@RealKubernetes
@RealKopia
class RepositoryLifecycleE2E {
  private static final Duration READY = Duration.ofSeconds(120);

  @Test
  void lifecycleOnFilesystem(TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    Path repoPath = sandbox.newDir("repository");
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("operator-work"), Duration.ofSeconds(2));
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.filesystemLocation(
            namespace, "monitoring-location", repoPath.toString(), REPO_PASSWORD),
        RepositoryFixtures.admin(namespace, "monitoring-admin"),
        RepositoryFixtures.tls(namespace, "monitoring-tls", ns.cluster().pki(), "repo-monitoring"));

    LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"));
    try {
      long start = System.nanoTime();
      client
          .resource(
              RepositoryFixtures.repository(
                  namespace,
                  "repository-monitoring",
                  "monitoring",
                  "monitoring-location",
                  "monitoring-admin",
                  "monitoring-tls"))
          .create();
      awaitCondition(client, namespace, "repository-monitoring", "RepositoryReady", "True", READY);
      awaitCondition(client, namespace, "repository-monitoring", "ServerReady", "True", READY);
      double readySeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "[figures] create-to-Ready %.1fs; kopia processes: %d, summed wall time %.1fs, by verb %s%n",
          readySeconds,
          operator.kopia().invocations(),
          operator.kopia().totalSeconds(),
          operator.kopia().byVerb());

      Repository ready = E2eSupport.get(client, namespace, "repository-monitoring");
      assertThat(ready.getStatus().getServer().getServiceName()).isEqualTo("repo-monitoring");
      assertThat(ready.getStatus().getServer().getUrl())
          .isEqualTo("https://repo-monitoring." + namespace + ".svc:51515");
      String fingerprint = ready.getStatus().getServer().getCertificateFingerprint();
      assertThat(fingerprint).hasSize(64);
      assertStatusCommandSaysReady(client, namespace, fingerprint);

      Deployment deployment =
          client.apps().deployments().inNamespace(namespace).withName("repo-monitoring").get();
      assertServerDeploymentIsSafe(deployment);

      // The server the Deployment describes serves the repository: a user added to the
      // repository connects through it, snapshots and lists.
      Kopia admin = directClient(sandbox, repoPath, "admin");
      // A person's user under the target namespace's hosts (<targetNamespace>.<workload>), which
      // no Secret or workload asks for: the operator deletes only users it recorded creating, so
      // every users pass (they run every 2s here) leaves her alone.
      KopiaUsername alice = KopiaUsername.of("alice@monitoring.people");
      admin.addUser(alice, UserPasswordHash.create(SecretValue.of("alice-password")));
      String address = operator.endpoints().resolve("repo-monitoring." + namespace + ".svc", 51515);
      ProcessKopiaRunner runner = new ProcessKopiaRunner(sandbox.binary());
      runner.run(
          ServerClientCommands.refresh(
              "https://" + address,
              CertificateFingerprint.parse(fingerprint),
              new ServerCredentials(
                  "admin",
                  SecretValue.of(RepositoryFixtures.UI_PASSWORD),
                  "server-control",
                  SecretValue.of(RepositoryFixtures.CONTROL_PASSWORD))));
      Kopia aliceClient =
          Kopia.connectToServer(
              runner,
              KopiaWorkspace.create(sandbox.root().resolve("ws"), "alice"),
              "https://" + address,
              CertificateFingerprint.parse(fingerprint),
              ClientIdentity.of(alice),
              SecretValue.of("alice-password"));
      Path data = sandbox.newDir("mysql");
      Files.writeString(data.resolve("dump.sql"), "SELECT 1;");
      SnapshotManifest snapshot = aliceClient.snapshot(data, Map.of());
      assertThat(aliceClient.snapshots(data))
          .extracting(SnapshotManifest::id)
          .containsExactly(snapshot.id());

      // A policy edit reaches Kopia.
      client
          .resources(Repository.class)
          .inNamespace(namespace)
          .withName("repository-monitoring")
          .edit(
              r -> {
                r.getSpec().getPolicy().setKeepDaily(30);
                return r;
              });
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin.definedPolicy(PolicyTarget.global()).retention().keepDaily().orElse(-1)
                      == 30);

      // Steady state: several resyncs (every 2s) write nothing to kopia; the only call left is one
      // manifest list per resync, which shows users and policies changed behind the operator's
      // back (the pass right after the policy fix above may still list policies and users once).
      Thread.sleep(3_000);
      int mark = operator.kopia().mark();
      Thread.sleep(8_000);
      System.out.printf(
          "[figures] steady-state resync: %d kopia invocations in 8s, %d writes (%s)%n",
          operator.kopia().since(mark).size(),
          operator.kopia().writesSince(mark),
          operator.kopia().since(mark));
      assertThat(operator.kopia().writesSince(mark)).isZero();
      assertThat(operator.kopia().since(mark))
          .allMatch(
              verb ->
                  verb.equals("manifest list")
                      || verb.equals("server users list")
                      || verb.equals("policy list"));
      assertThat(operator.kopia().since(mark).stream().filter("manifest list"::equals).count())
          .as("at most one manifest list per 2s resync")
          .isLessThanOrEqualTo(5);
      assertThat(operator.kopia().since(mark).stream().filter("policy list"::equals).count())
          .as("the policies listed at most once, after the fix")
          .isLessThanOrEqualTo(1);
      assertThat(admin.users())
          .as("a user the operator did not create survives its users passes")
          .anyMatch(u -> u.username().equals(alice));

      // A deleted Deployment is recreated and serves again.
      String deploymentUid = deployment.getMetadata().getUid();
      client.apps().deployments().inNamespace(namespace).withName("repo-monitoring").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Deployment again =
                    client
                        .apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("repo-monitoring")
                        .get();
                return again != null && !again.getMetadata().getUid().equals(deploymentUid);
              });
      awaitCondition(client, namespace, "repository-monitoring", "ServerReady", "True", READY);

      // A restarted operator creates nothing anew and writes nothing to kopia.
      Map<String, String> uids = serverObjectUids(client, namespace);
      operator = operator.restartOperator(client, options);
      Thread.sleep(8_000);
      System.out.printf(
          "[figures] after restart: %d kopia invocations, %d writes (%s)%n",
          operator.kopia().invocations(), operator.kopia().writes(), operator.kopia().byVerb());
      assertThat(operator.kopia().writes()).isZero();
      assertThat(serverObjectUids(client, namespace)).isEqualTo(uids);
      awaitCondition(client, namespace, "repository-monitoring", "ServerReady", "True", READY);

      // Deletion removes the server objects and keeps the data.
      client
          .resources(Repository.class)
          .inNamespace(namespace)
          .withName("repository-monitoring")
          .delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> E2eSupport.get(client, namespace, "repository-monitoring") == null);
      assertThat(
              client.apps().deployments().inNamespace(namespace).withName("repo-monitoring").get())
          .isNull();
      assertThat(client.services().inNamespace(namespace).withName("repo-monitoring").get())
          .isNull();
      assertThat(client.secrets().inNamespace(namespace).withName("repo-monitoring-config").get())
          .isNull();
      Kopia afterwards = directClient(sandbox, repoPath, "after-delete");
      List<SnapshotManifest> kept =
          SnapshotManifest.parseListOutput(afterwards.run(SnapshotCommands.listAll()).stdout());
      assertThat(kept).extracting(SnapshotManifest::id).contains(snapshot.id());
    } finally {
      operator.close();
    }
  }

  /** {@code kopia-operator status} on the status the real operator wrote: Ready, exit 0. */
  private static void assertStatusCommandSaysReady(
      KubernetesClient client, String namespace, String fingerprint) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertThat(new StatusCommand(client, print, System.err).run(List.of("-n", namespace)))
        .as("status exit code")
        .isZero();
    String row = out.toString(StandardCharsets.UTF_8).lines().skip(1).findFirst().orElseThrow();
    assertThat(row.split("\\s{2,}"))
        .startsWith(namespace, "repository-monitoring", "monitoring", "True", "Serving");
    out.reset();
    assertThat(
            new StatusCommand(client, print, System.err)
                .run(List.of("-n", namespace, "repository-monitoring")))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Ready:        yes", "RepositoryReady=True", "ServerReady=True  reason=Serving")
        .contains("Fingerprint:  " + fingerprint);
  }

  private static Kopia directClient(KopiaSandbox sandbox, Path repoPath, String name) {
    Kopia kopia =
        Kopia.open(
            new ProcessKopiaRunner(sandbox.binary()),
            KopiaWorkspace.create(sandbox.root().resolve("ws"), name),
            SecretValue.of(REPO_PASSWORD));
    assertThat(
            kopia.ensureRepository(
                FilesystemLocation.of(repoPath.toString()), new ClientIdentity("e2e", name)))
        .isEqualTo(EnsureOutcome.ADOPTED);
    return kopia;
  }

  private static Map<String, String> serverObjectUids(KubernetesClient client, String namespace) {
    return Map.of(
        "deployment",
            client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withName("repo-monitoring")
                .get()
                .getMetadata()
                .getUid(),
        "service",
            client
                .services()
                .inNamespace(namespace)
                .withName("repo-monitoring")
                .get()
                .getMetadata()
                .getUid(),
        "config",
            client
                .secrets()
                .inNamespace(namespace)
                .withName("repo-monitoring-config")
                .get()
                .getMetadata()
                .getUid());
  }

  private static void assertServerDeploymentIsSafe(Deployment deployment) {
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("kopia/kopia:0.23.1");
    assertThat(String.join(" ", container.getArgs()))
        .startsWith(
            "server start --address=0.0.0.0:51515 --config-file=/run/kopia/config/repo.config")
        .doesNotContain(REPO_PASSWORD)
        .doesNotContain(RepositoryFixtures.UI_PASSWORD);
    for (EnvVar env : container.getEnv()) {
      if (env.getName().contains("PASSWORD")) {
        assertThat(env.getValue()).as(env.getName()).isNull();
        assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
      }
    }
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey("repo.kanister.io/server-inputs-hash");
  }
}
