package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.model.repository.ServerStatus;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.users.RealKopiaServer;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kopia-operator connect} against the real API server and a real Kopia server: the files it
 * writes let the real kopia client snapshot and restore through the server as the user, also
 * through a {@code --server-address} override; every failure exits 1 naming the object and the fix,
 * and no output carries the password.
 */
@RealKubernetes
@RealKopia
class ConnectCommandIT {
  private static final String PASSWORD = "connect-password-1234";

  @Test
  void writesFilesTheRealClientSnapshotsWithAndFailsClearly(
      KopiaSandbox sandbox, TestNamespace namespace) throws Exception {
    String ns = namespace.name();
    KubernetesClient client = namespace.client();
    RepositoryCrdInstall.shipped(client);
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("access")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(Map.of("laptop", "username: alice\npassword: " + PASSWORD + "\n"))
                .build())
        .create();
    KopiaUsername alice = KopiaUsername.of("alice@" + ns + ".laptop");

    try (RealKopiaServer real = RealKopiaServer.started(sandbox)) {
      real.operator().addUser(alice, UserPasswordHash.create(SecretValue.of(PASSWORD)));
      real.refresher().refresh();
      String port = real.url().substring(real.url().lastIndexOf(':') + 1);
      // As in a cluster: the status names the Service, which only a port-forward reaches here.
      create(client, ns, "repo", "https://repo." + ns + ".svc:51515", real, Condition.TRUE);

      Path dir = sandbox.root().resolve("person/kopia");
      Run ok =
          run(
              client,
              "repo",
              "--namespace=" + ns,
              "--user=" + alice,
              "--to-dir=" + dir,
              "--server-address=127.0.0.1:" + port);
      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(ok.out()).contains(dir.resolve("repository.config").toString());
      Path config = dir.resolve("repository.config");
      Path password = dir.resolve("password");
      assertThat(Files.readString(password)).isEqualTo(PASSWORD);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(config))
          .contains("https://127.0.0.1:" + port)
          .contains(real.fingerprint().hex())
          .contains("\"username\": \"alice\"")
          .contains("\"hostname\": \"" + ns + ".laptop\"")
          .doesNotContain(PASSWORD);

      // What the person then runs: the real kopia, the password from the file in the env.
      Path data = sandbox.newDir("person-data");
      Files.writeString(data.resolve("notes.txt"), "first snapshot through connect");
      Map<String, String> env = Map.of("KOPIA_PASSWORD", Files.readString(password));
      var created =
          sandbox.exec(env, "--config-file=" + config, "snapshot", "create", data.toString());
      assertThat(created.exitCode()).as(created.stderr()).isZero();
      Path restored = sandbox.root().resolve("person-restored");
      var restore =
          sandbox.exec(
              env,
              "--config-file=" + config,
              "snapshot",
              "restore",
              data.toString(),
              restored.toString());
      assertThat(restore.exitCode()).as(restore.stderr()).isZero();
      assertThat(Files.readAllBytes(restored.resolve("notes.txt")))
          .isEqualTo(Files.readAllBytes(data.resolve("notes.txt")));
      var listed = sandbox.exec(env, "--config-file=" + config, "snapshot", "list");
      assertThat(listed.stdout()).contains("alice@" + ns + ".laptop:" + data);

      // The fingerprint is still checked through the override: another server's is refused.
      create(client, ns, "other", real.url(), null, Condition.TRUE);
      Path wrongPin = sandbox.root().resolve("wrong-pin");
      assertThat(
              run(client, "other", "--namespace=" + ns, "--user=" + alice, "--to-dir=" + wrongPin)
                  .code())
          .isZero();
      var refused =
          sandbox.exec(
              env, "--config-file=" + wrongPin.resolve("repository.config"), "snapshot", "list");
      assertThat(refused.exitCode()).isNotZero();

      // --password-stdin for a user the Secrets do not hold.
      Run stdin =
          withStdin(
              client,
              PASSWORD,
              "repo",
              "--namespace=" + ns,
              "--user=bob@" + ns + ".other",
              "--to-dir=" + sandbox.root().resolve("bob"),
              "--password-stdin");
      assertThat(stdin.code()).as(stdin.err()).isZero();
      assertThat(Files.readString(sandbox.root().resolve("bob/password"))).isEqualTo(PASSWORD);

      Run wrongUser =
          run(
              client,
              "repo",
              "--namespace=" + ns,
              "--user=mallory@" + ns + ".x",
              "--to-dir=/tmp/x1");
      assertThat(wrongUser.code()).isEqualTo(1);
      assertThat(wrongUser.err())
          .contains("mallory@" + ns + ".x is not a predefined user of Repository " + ns + "/repo")
          .contains("accessSecretNames")
          .contains("--password-stdin");

      Run missing = run(client, "nope", "--namespace=" + ns, "--user=" + alice, "--to-dir=/tmp/x2");
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.err()).contains("Repository " + ns + "/nope does not exist");

      create(client, ns, "starting", null, null, null);
      Run noStatus =
          run(client, "starting", "--namespace=" + ns, "--user=" + alice, "--to-dir=/tmp/x3");
      assertThat(noStatus.code()).isEqualTo(1);
      assertThat(noStatus.err()).contains("has no status.server.url yet");

      create(client, ns, "down", "https://down." + ns + ".svc:51515", real, Condition.FALSE);
      Run notServing =
          run(client, "down", "--namespace=" + ns, "--user=" + alice, "--to-dir=/tmp/x4");
      assertThat(notServing.code()).isEqualTo(1);
      assertThat(notServing.err())
          .contains("Repository " + ns + "/down is not serving")
          .contains("ServerReady=False (Starting)");

      Run usage = run(client, "repo", "--namespace=" + ns);
      assertThat(usage.code()).isEqualTo(2);
      assertThat(usage.err()).contains("--user is required");
      Run typo =
          run(client, "repo", "--user=" + alice, "--to-dir=/tmp/x5", "--pasword=" + PASSWORD);
      assertThat(typo.code()).isEqualTo(2);

      Run forbidden =
          run(
              namespace.cluster().clientAs("kko-nobody", "kko-test"),
              "repo",
              "--namespace=" + ns,
              "--user=" + alice,
              "--to-dir=/tmp/x6");
      assertThat(forbidden.code()).isEqualTo(1);
      assertThat(forbidden.err()).contains("HTTP 403").contains("may get repositories");

      for (Run r :
          List.of(ok, stdin, wrongUser, missing, noStatus, notServing, usage, typo, forbidden)) {
        assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
      }
      assertThat(Files.exists(Path.of("/tmp/x1"))).isFalse();
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(KubernetesClient client, String... args) {
    return withStdin(client, "", args);
  }

  private static Run withStdin(KubernetesClient client, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new ConnectCommand(
                client,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(java.util.List.of(args));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * A Repository with the access Secret; with a status server URL and a fingerprint ({@code
   * real}'s, or another one when null) and a ServerReady condition when given.
   */
  private static void create(
      KubernetesClient client,
      String ns,
      String name,
      String url,
      RealKopiaServer real,
      String serverReady) {
    Repository repository = new Repository();
    repository.getMetadata().setName(name);
    repository.getMetadata().setNamespace(ns);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(ns);
    LocationSpec location = new LocationSpec();
    location.setSecretName("location");
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    server.setTlsSecretName("tls");
    server.setAccessSecretNames(List.of("access"));
    spec.setServer(server);
    repository.setSpec(spec);
    Repository created = client.resource(repository).create();
    if (url == null) {
      return;
    }
    RepositoryStatus status = new RepositoryStatus();
    status.setServer(
        new ServerStatus(name, url, real == null ? "ab".repeat(32) : real.fingerprint().hex()));
    if (serverReady != null) {
      status.setConditions(
          List.of(
              new Condition(
                  "ServerReady",
                  serverReady,
                  serverReady.equals(Condition.TRUE) ? "Serving" : "Starting",
                  "the Kopia server")));
    }
    created.setStatus(status);
    client.resource(created).updateStatus();
  }
}
