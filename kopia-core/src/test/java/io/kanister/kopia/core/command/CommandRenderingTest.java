package io.kanister.kopia.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden renderings, and the guarantee that no secret reaches an argument or a toString. */
class CommandRenderingTest {
  private static final SecretValue REPO_PASSWORD = SecretValue.of("repo-password-value");
  private static final SecretValue ACCESS_KEY = SecretValue.of("AKIAEXAMPLEKEY");
  private static final SecretValue SECRET_KEY = SecretValue.of("secret-key-value-42");
  private static final SecretValue USER_PASSWORD = SecretValue.of("user-password-value");
  private static final ServerCredentials SERVER =
      new ServerCredentials(
          "admin",
          SecretValue.of("ui-password-value"),
          "control",
          SecretValue.of("control-password-value"));
  private static final CertificateFingerprint FINGERPRINT =
      CertificateFingerprint.parse("ab".repeat(32));
  private static final S3Location S3 =
      S3Location.builder()
          .bucket("my-bucket")
          .prefix("my-prefix/")
          .endpoint("http://minio.example:9000")
          .region("us-west-1")
          .accessKeyId(ACCESS_KEY)
          .secretAccessKey(SECRET_KEY)
          .build();
  private static final ClientIdentity OPERATOR = new ClientIdentity("operator", "kanister");

  @Test
  void repositoryCreateOnS3() {
    KopiaCommand create = RepositoryCommands.create(S3, REPO_PASSWORD, OPERATOR, true);
    assertThat(create.args())
        .containsExactly(
            "repository",
            "create",
            "s3",
            "--bucket=my-bucket",
            "--prefix=my-prefix/",
            "--endpoint=minio.example:9000",
            "--region=us-west-1",
            "--disable-tls",
            "--override-username=operator",
            "--override-hostname=kanister",
            "--create-only");
    assertThat(create.secretEnvironment())
        .containsOnlyKeys("KOPIA_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
  }

  @Test
  void serverStartSpecKeepsCredentialsInTheEnvironment() {
    ServerStartSpec spec =
        ServerStartSpec.builder()
            .configFile("/run/kopia/repo.config")
            .tlsCertFile("/run/kopia/tls/tls.crt")
            .tlsKeyFile("/run/kopia/tls/tls.key")
            .cacheDirectory("/cache")
            .refreshInterval(Duration.ofMinutes(5))
            .metricsAddress(":51516")
            .build();
    assertThat(spec.args())
        .containsExactly(
            "server",
            "start",
            "--address=0.0.0.0:51515",
            "--config-file=/run/kopia/repo.config",
            "--tls-cert-file=/run/kopia/tls/tls.crt",
            "--tls-key-file=/run/kopia/tls/tls.key",
            "--cache-directory=/cache",
            "--refresh-interval=300s",
            "--metrics-listen-addr=:51516");
    assertThat(ServerStartSpec.secretEnvironmentNames())
        .containsExactly(
            "KOPIA_PASSWORD",
            "KOPIA_SERVER_USERNAME",
            "KOPIA_SERVER_PASSWORD",
            "KOPIA_SERVER_CONTROL_USER",
            "KOPIA_SERVER_CONTROL_PASSWORD");
  }

  @Test
  void noSecretInAnyArgumentOrToString() {
    List<KopiaCommand> commands = new ArrayList<>();
    commands.add(RepositoryCommands.create(S3, REPO_PASSWORD, OPERATOR, false));
    commands.add(RepositoryCommands.connect(S3, REPO_PASSWORD, OPERATOR));
    commands.add(
        RepositoryCommands.connectServer(
            "https://repo-monitoring.kanister.svc:51515", FINGERPRINT, OPERATOR, USER_PASSWORD));
    commands.add(ServerClientCommands.status("https://x:51515", FINGERPRINT, SERVER));
    commands.add(ServerClientCommands.refresh("https://x:51515", FINGERPRINT, SERVER));
    commands.add(
        ServerStartSpec.builder()
            .configFile("/c")
            .tlsCertFile("/t.crt")
            .tlsKeyFile("/t.key")
            .build()
            .toCommand(REPO_PASSWORD, SERVER));
    KopiaUsername user = KopiaUsername.of("mysql@monitoring.mysql-blue");
    commands.add(UserCommands.add(user, UserPasswordHash.create(USER_PASSWORD)));
    commands.add(UserCommands.set(user, UserPasswordHash.create(USER_PASSWORD)));
    commands.add(PolicyCommands.show(PolicyTarget.global()));
    commands.add(SnapshotCommands.create(Path.of("/data"), Map.of("k", "v"), "nightly"));
    commands.add(
        MaintenanceCommands.set(
            Optional.of("operator@kanister"), Optional.empty(), Optional.empty()));

    UserPasswordHash hash = UserPasswordHash.create(USER_PASSWORD);
    assertThat(UserCommands.add(user, hash).toString())
        .contains("--user-password-hash=<redacted>")
        .doesNotContain(hash.encoded());

    List<String> secrets =
        List.of(
            REPO_PASSWORD.reveal(),
            ACCESS_KEY.reveal(),
            SECRET_KEY.reveal(),
            USER_PASSWORD.reveal(),
            SERVER.uiPassword().reveal(),
            SERVER.controlPassword().reveal());
    for (KopiaCommand command : commands) {
      for (String secret : secrets) {
        assertThat(command.args()).as(command.verb()).noneMatch(a -> a.contains(secret));
        assertThat(command.toString()).as(command.verb()).doesNotContain(secret);
      }
    }
  }

  @Test
  void anAzureContainerMayRepeatTheAccountName() {
    var azure =
        io.kanister.kopia.core.storage.AzureLocation.builder()
            .storageAccount("backups01")
            .container("backups01")
            .storageKey(SecretValue.of("azure-storage-key-value"))
            .build();

    KopiaCommand connect = RepositoryCommands.connect(azure, REPO_PASSWORD, OPERATOR);

    assertThat(connect.args()).contains("--container=backups01");
    assertThat(connect.environment()).containsEntry("AZURE_STORAGE_ACCOUNT", "backups01");
    assertThat(connect.secretEnvironment()).containsOnlyKeys("KOPIA_PASSWORD", "AZURE_STORAGE_KEY");
  }
}
