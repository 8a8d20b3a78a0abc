package io.kanister.kopia.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.ServerClientCommands;
import io.kanister.kopia.core.command.ServerCredentials;
import io.kanister.kopia.core.command.ServerStartSpec;
import io.kanister.kopia.core.config.ApiServerConnection;
import io.kanister.kopia.core.config.ClientOptions;
import io.kanister.kopia.core.config.RepositoryConfig;
import io.kanister.kopia.core.config.RepositoryConfigFile;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.output.SnapshotManifest;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.tls.SelfSignedCertificate;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.PasswordVerification;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Users managed with Java-computed hashes, a server started from {@link ServerStartSpec} with TLS
 * files, and a client that connects by fingerprint, snapshots, lists and restores through it.
 */
@RealKopia
@RealS3
class ServerAndUsersIT {
  private static final ServerCredentials CREDENTIALS =
      new ServerCredentials(
          "admin",
          SecretValue.of("ui-password-123456"),
          "control",
          SecretValue.of("control-password-789"));
  private static final KopiaUsername ALICE = KopiaUsername.of("alice@monitoring.mysql-blue");
  private static final SecretValue ALICE_PASSWORD = SecretValue.of("alice-first-password");
  private static final SecretValue ALICE_NEW_PASSWORD = SecretValue.of("alice-second-password");

  @Test
  void usersAddSetDeleteList(KopiaSandbox sandbox) {
    Kopia kopia = RealRepositories.created(sandbox, RealRepositories.filesystem(sandbox));
    kopia.addUser(ALICE, UserPasswordHash.create(ALICE_PASSWORD));
    UserProfile stored = only(kopia.users());
    assertThat(stored.username()).isEqualTo(ALICE);
    assertThat(stored.passwordHash().version()).isEqualTo(UserPasswordHash.PBKDF2_VERSION);
    assertThat(stored.passwordHash().verify(ALICE_PASSWORD)).isEqualTo(PasswordVerification.MATCH);

    kopia.setUser(ALICE, UserPasswordHash.create(ALICE_NEW_PASSWORD));
    UserProfile updated = only(kopia.users());
    assertThat(updated.passwordHash().verify(ALICE_NEW_PASSWORD))
        .isEqualTo(PasswordVerification.MATCH);
    assertThat(updated.passwordHash().verify(ALICE_PASSWORD))
        .isEqualTo(PasswordVerification.MISMATCH);

    kopia.deleteUser(ALICE);
    assertThat(kopia.users()).isEmpty();
    kopia.deleteUser(ALICE); // idempotent
  }

  @Test
  void serverOnFilesystem(KopiaSandbox sandbox) throws Exception {
    serveAndUse(sandbox, RealRepositories.filesystem(sandbox));
  }

  @Test
  void serverOnS3(KopiaSandbox sandbox, S3Bucket bucket) throws Exception {
    serveAndUse(sandbox, RealRepositories.s3(bucket, "server/"));
  }

  /**
   * The certificate the operator issues when a Repository names no TLS Secret: the JDK-built ECDSA
   * certificate and its PKCS#8 key serve, and a client pinning its fingerprint connects.
   */
  @Test
  void serverWithTheOperatorsSelfSignedCertificate(KopiaSandbox sandbox) throws Exception {
    Instant now = Instant.now();
    SelfSignedCertificate tls =
        SelfSignedCertificate.issue(
            "repo-monitoring",
            List.of("repo-monitoring", "repo-monitoring.kopia.svc"),
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(365)));
    serveAndUse(
        sandbox,
        RealRepositories.filesystem(sandbox),
        tls.certificatePem(),
        tls.privateKeyPem().reveal());
  }

  private static void serveAndUse(KopiaSandbox sandbox, StorageLocation location) throws Exception {
    TestPki.Issued tls =
        TestPki.newCa("kopia-test-ca")
            .issueServer("repo-monitoring", List.of("localhost"), List.of("127.0.0.1"));
    serveAndUse(sandbox, location, tls.certPem(), tls.keyPem());
  }

  private static void serveAndUse(
      KopiaSandbox sandbox, StorageLocation location, String certPem, String keyPem)
      throws Exception {
    Kopia operator = RealRepositories.created(sandbox, location);
    operator.addUser(ALICE, UserPasswordHash.create(ALICE_PASSWORD));

    Path certFile = sandbox.newDir("tls").resolve("tls.crt");
    Path keyFile = certFile.resolveSibling("tls.key");
    Files.writeString(certFile, certPem);
    Files.writeString(keyFile, keyPem);
    CertificateFingerprint fingerprint = CertificateFingerprint.of(certPem);

    int port = BackgroundProcess.freePort();
    ServerStartSpec spec =
        ServerStartSpec.builder()
            .address("127.0.0.1:" + port)
            .configFile(operator.workspace().configFile().toString())
            .tlsCertFile(certFile.toString())
            .tlsKeyFile(keyFile.toString())
            .cacheDirectory(sandbox.newDir("server-cache").toString())
            .build();
    var command = spec.toCommand(RealRepositories.PASSWORD, CREDENTIALS);
    assertThat(command.args()).noneMatch(a -> a.contains(CREDENTIALS.controlPassword().reveal()));
    List<String> argv = new ArrayList<>();
    argv.add(sandbox.binary().toString());
    argv.addAll(command.args());
    Map<String, String> env = new HashMap<>(sandbox.baseEnvironment());
    env.putAll(command.environment());
    env.putAll(command.secretEnvironment());
    String url = "https://127.0.0.1:" + port;
    try (BackgroundProcess server =
        BackgroundProcess.start(argv, env, sandbox.root().resolve("server.log"))) {
      server.awaitLogLine("SERVER ADDRESS:", Duration.ofSeconds(60));
      ProcessKopiaRunner runner = new ProcessKopiaRunner(sandbox.binary());
      runner.run(ServerClientCommands.status(url, fingerprint, CREDENTIALS));
      runner.run(ServerClientCommands.refresh(url, fingerprint, CREDENTIALS));

      Kopia alice =
          Kopia.connectToServer(
              runner,
              KopiaWorkspace.create(sandbox.root().resolve("workspaces"), "alice"),
              url,
              fingerprint,
              ClientIdentity.of(ALICE),
              ALICE_PASSWORD);
      Path data = sandbox.newDir("mysql-data");
      Files.writeString(data.resolve("dump.sql"), "CREATE TABLE t (id int);");
      SnapshotManifest snapshot = alice.snapshot(data, Map.of("workload", "mysql-blue"));
      assertThat(snapshot.source().userName()).isEqualTo("alice");
      assertThat(snapshot.source().host()).isEqualTo("monitoring.mysql-blue");
      assertThat(alice.snapshots(data))
          .extracting(SnapshotManifest::id)
          .containsExactly(snapshot.id());
      Path restored = sandbox.newDir("restored");
      alice.restore(snapshot.id(), restored.resolve("out"));
      assertThat(Files.readString(restored.resolve("out").resolve("dump.sql")))
          .isEqualTo("CREATE TABLE t (id int);");

      // A client repo.config written by Java (URL, fingerprint, user, host) works the same way.
      KopiaWorkspace exported =
          KopiaWorkspace.create(sandbox.root().resolve("workspaces"), "exported");
      RepositoryConfigFile.write(
          RepositoryConfig.builder()
              .connection(ApiServerConnection.of(url, fingerprint))
              .clientOptions(ClientOptions.of(ALICE.host(), ALICE.user()))
              .build(),
          exported.configFile());
      assertThat(Kopia.open(runner, exported, ALICE_PASSWORD).snapshots(data))
          .extracting(SnapshotManifest::id)
          .containsExactly(snapshot.id());

      // A wrong fingerprint is refused before any password is sent.
      CertificateFingerprint other = CertificateFingerprint.of(TestPki.newCa("other").caPem());
      assertThatThrownBy(() -> runner.run(ServerClientCommands.status(url, other, CREDENTIALS)))
          .isInstanceOf(KopiaException.class);

      // Deleted and refreshed: alice can no longer connect.
      operator.deleteUser(ALICE);
      runner.run(ServerClientCommands.refresh(url, fingerprint, CREDENTIALS));
      assertThatThrownBy(
              () ->
                  Kopia.connectToServer(
                      runner,
                      KopiaWorkspace.create(sandbox.root().resolve("workspaces"), "alice-again"),
                      url,
                      fingerprint,
                      ClientIdentity.of(ALICE),
                      ALICE_PASSWORD))
          .isInstanceOfSatisfying(
              KopiaException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(KopiaErrorKind.ACCESS_DENIED);
                assertThat(e.getMessage()).doesNotContain(ALICE_PASSWORD.reveal());
              });
    }
  }

  private static UserProfile only(List<UserProfile> users) {
    assertThat(users).hasSize(1);
    return users.get(0);
  }
}
