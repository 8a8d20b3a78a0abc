package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.output.SnapshotManifest;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserProfile;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.export.ClientConnection;
import io.kanister.kopia.operator.export.ClientExporter;
import io.kanister.kopia.operator.export.ClientFiles;
import io.kanister.kopia.operator.export.PodTarget;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Access users end to end: predefined users from an access Secret (one entry broken, the others
 * served), exported client files that connect, snapshot and restore through the server, a removed
 * key that locks its user out, a labelled StatefulSet that gets a user and loses it on deletion,
 * and a steady state that writes nothing to kopia.
 */
@RealKubernetes
@RealKopia
class AccessUsersE2E {
  private static final Duration SETTLE = Duration.ofSeconds(120);

  @Test
  void predefinedAndDynamicUsers(TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    Path repoPath = sandbox.newDir("repository");
    Repository repository =
        RepositoryFixtures.servedWithAccess(
            ns,
            repoPath,
            Map.of(
                "mysql-blue", "username: mysql\npassword: mysql-blue-password\n",
                "pgsql-green", "username: pgsql\npassword: pgsql-green-password\n",
                "broken", "username: [unclosed\n"));
    String target = repository.getSpec().getTargetNamespace();
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("work"), Duration.ofSeconds(3));

    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"))) {
      client.resource(repository).create();
      UsersStatus users =
          awaitUsers(client, namespace, s -> s.getRegistered() != null && s.getRegistered() == 2);
      assertThat(users.getFailed())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.getReason()).isEqualTo("InvalidAccessSecret");
                assertThat(f.getMessage())
                    .contains(namespace + "/access")
                    .doesNotContain("unclosed");
              });
      assertThat(
              E2eSupport.condition(E2eSupport.get(client, namespace, "repo"), "UsersReady")
                  .orElseThrow()
                  .getStatus())
          .isEqualTo("False");

      // Export mysql-blue's files (to a local folder standing in for the pod) and use them.
      KopiaUsername mysql = KopiaUsername.of("mysql@" + target + ".mysql-blue");
      Path pod = sandbox.newDir("pod");
      Repository ready = E2eSupport.get(client, namespace, "repo");
      ClientConnection inCluster = ClientConnection.of(ready, mysql);
      // The pod would resolve the Service name; here the test maps it to the local server.
      String host = java.net.URI.create(inCluster.serverUrl()).getHost();
      ClientConnection local =
          new ClientConnection(
              "https://" + operator.endpoints().resolve(host, 51515),
              inCluster.fingerprint(),
              mysql);
      new ClientExporter(
              (podTarget, path, content) -> {
                try {
                  Files.write(pod.resolve(Path.of(path).getFileName()), content);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .export(
              local,
              SecretValue.of("mysql-blue-password"),
              new PodTarget(target, "mysql-0", "mysql"),
              new ClientFiles("/run/kopia-client"));
      Kopia mover = fromExportedFiles(sandbox, pod, "mover");
      Path data = sandbox.newDir("data");
      byte[] bytes = new byte[300_000];
      new java.util.Random(7).nextBytes(bytes);
      Files.write(data.resolve("table.ibd"), bytes);
      SnapshotManifest snapshot = mover.snapshot(data, Map.of());
      assertThat(snapshot.source().userName()).isEqualTo("mysql");
      Path restored = sandbox.newDir("restored");
      mover.restore(snapshot.id(), restored.resolve("out"));
      assertThat(Files.readAllBytes(restored.resolve("out").resolve("table.ibd"))).isEqualTo(bytes);

      // Steady state: resyncs every 3s write nothing to kopia.
      int mark = operator.kopia().mark();
      Thread.sleep(9_000);
      System.out.printf(
          "[figures] users steady-state: %d kopia writes, %d invocations in 9s%n",
          operator.kopia().writesSince(mark), operator.kopia().since(mark).size());
      assertThat(operator.kopia().writesSince(mark)).isZero();

      // Removing the key removes the user; its exported files stop working.
      client
          .secrets()
          .inNamespace(namespace)
          .withName("access")
          .edit(
              s -> {
                s.getData().remove("mysql-blue");
                return s;
              });
      awaitUsers(client, namespace, s -> s.getRegistered() != null && s.getRegistered() == 1);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () ->
                              fromExportedFiles(sandbox, pod, "mover-again-" + System.nanoTime())
                                  .snapshots(data))
                      .isInstanceOfSatisfying(
                          KopiaException.class,
                          e -> assertThat(e.kind()).isEqualTo(KopiaErrorKind.ACCESS_DENIED)));

      // A labelled StatefulSet gets a user named after its ServiceAccount; deleting it removes it.
      client
          .serviceAccounts()
          .inNamespace(target)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("mysql-sa")
                  .endMetadata()
                  .build())
          .create();
      client
          .apps()
          .statefulSets()
          .inNamespace(target)
          .resource(
              TestWorkloads.statefulSet(
                  target,
                  "mysql",
                  "mysql-sa",
                  Map.of("repo.kanister.io/authn-mode", "service-account"),
                  Map.of()))
          .create();
      KopiaUsername dynamic = KopiaUsername.of("mysql-sa@" + target + ".mysql");
      Kopia admin = directClient(sandbox, repoPath);
      await()
          .atMost(SETTLE)
          .until(
              () -> admin.users().stream().map(UserProfile::username).toList().contains(dynamic));
      client.apps().statefulSets().inNamespace(target).withName("mysql").delete();
      await()
          .atMost(SETTLE)
          .until(
              () -> !admin.users().stream().map(UserProfile::username).toList().contains(dynamic));
    }
  }

  private static Kopia fromExportedFiles(KopiaSandbox sandbox, Path pod, String name)
      throws Exception {
    KopiaWorkspace workspace = KopiaWorkspace.create(sandbox.root().resolve("ws"), name);
    Files.copy(pod.resolve("repository.config"), workspace.configFile());
    String password = Files.readString(pod.resolve("password"), StandardCharsets.UTF_8);
    return Kopia.open(
        new ProcessKopiaRunner(sandbox.binary()), workspace, SecretValue.of(password));
  }

  private static Kopia directClient(KopiaSandbox sandbox, Path repoPath) {
    Kopia kopia =
        Kopia.open(
            new ProcessKopiaRunner(sandbox.binary()),
            KopiaWorkspace.create(sandbox.root().resolve("ws"), "admin"),
            SecretValue.of(REPO_PASSWORD));
    kopia.ensureRepository(
        FilesystemLocation.of(repoPath.toString()), new ClientIdentity("e2e", "admin"));
    return kopia;
  }

  private static UsersStatus awaitUsers(
      KubernetesClient client, String namespace, java.util.function.Predicate<UsersStatus> done) {
    return await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              Repository r = E2eSupport.get(client, namespace, "repo");
              return r == null || r.getStatus() == null ? null : r.getStatus().getUsers();
            },
            s -> s != null && done.test(s));
  }
}
