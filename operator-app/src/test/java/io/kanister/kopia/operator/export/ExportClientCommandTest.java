package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.model.repository.ServerStatus;
import io.kanister.kopia.operator.users.PredefinedUsersTestAccess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The export-client subcommand end to end against the fabric8 mock server. */
class ExportClientCommandTest {
  private static final String FINGERPRINT = "ab".repeat(32);
  private static final String PASSWORD = "mysql-password-from-secret";

  private KubernetesMockServer server;
  private KubernetesClient client;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private int run(String stdin, String... args) {
    return new ExportClientCommand(
            client,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(java.util.List.of(args));
  }

  @Test
  void writesTheConfigAndThePredefinedPasswordIntoTheContainer() throws Exception {
    Repository repository = new Repository();
    repository.getMetadata().setNamespace("kanister");
    repository.getMetadata().setName("repo-monitoring");
    repository.getMetadata().setUid("5d0c3b4a-repo-monitoring");
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace("monitoring");
    ServerSpec serverSpec = new ServerSpec();
    serverSpec.setAccessSecretNames(List.of("access"));
    spec.setServer(serverSpec);
    repository.setSpec(spec);
    RepositoryStatus status = new RepositoryStatus();
    status.setServer(
        new ServerStatus("repo-monitoring", "https://repo-monitoring.kanister.svc", FINGERPRINT));
    repository.setStatus(status);
    server
        .expect()
        .get()
        .withPath("/apis/cr.kanister.io/v1alpha1/namespaces/kanister/repositories/repo-monitoring")
        .andReturn(200, repository)
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/kanister/secrets/access")
        .andReturn(
            200,
            PredefinedUsersTestAccess.secret(
                "kanister",
                "access",
                Map.of("mysql-blue", "username: mysql\npassword: " + PASSWORD)))
        .once();
    MockPods.runningPod(server, "monitoring", "mysql-0", "mover");
    PodTarget target = new PodTarget("monitoring", "mysql-0", "mover");
    ClientConnection connection =
        new ClientConnection(
            "https://repo-monitoring.kanister.svc",
            io.kanister.kopia.core.tls.CertificateFingerprint.parse(FINGERPRINT),
            io.kanister.kopia.core.user.KopiaUsername.of("mysql@monitoring.mysql-blue"));
    MockPods.acceptsWrite(
        server, target, "/data/kopia/repository.config", connection.renderConfig());
    MockPods.acceptsWrite(server, target, "/data/kopia/password", PASSWORD);
    // The export is recorded so that a certificate renewal reaches these files (no record yet).
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/kanister/configmaps/repo-monitoring-client-exports")
        .andReturn(404, "")
        .always();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/kanister/configmaps")
        .andReturn(201, new io.fabric8.kubernetes.api.model.ConfigMap())
        .once();

    int code =
        run(
            "",
            "--repository=repo-monitoring",
            "--namespace=kanister",
            "--user=mysql@monitoring.mysql-blue",
            "--pod=mysql-0",
            "--container=mover",
            "--dir=/data/kopia/");

    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
    var recorded = server.getLastRequest();
    assertThat(recorded.getPath()).isEqualTo("/api/v1/namespaces/kanister/configmaps");
    assertThat(recorded.getBody().readUtf8())
        .contains("mysql@monitoring.mysql-blue monitoring mysql-0 mover /data/kopia " + FINGERPRINT)
        .doesNotContain(PASSWORD);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("/data/kopia/password")
        .doesNotContain(PASSWORD);
  }

  @Test
  void globalModesSharedCredentialComesFromItsSecret() {
    String user = "kopia-operator@kanister.kopia-operator";
    String token = "shared-token-from-the-client-secret";
    Repository repository = new Repository();
    repository.getMetadata().setNamespace("kanister");
    repository.getMetadata().setName(Repository.GLOBAL_NAME);
    RepositorySpec spec = new RepositorySpec();
    ServerSpec serverSpec = new ServerSpec();
    serverSpec.setAccessSecretNames(List.of());
    spec.setServer(serverSpec);
    repository.setSpec(spec);
    RepositoryStatus status = new RepositoryStatus();
    status.setServer(
        new ServerStatus("repo-global", "https://repo-global.kanister.svc:51515", FINGERPRINT));
    repository.setStatus(status);
    server
        .expect()
        .get()
        .withPath(
            "/apis/cr.kanister.io/v1alpha1/namespaces/kanister/repositories/"
                + Repository.GLOBAL_NAME)
        .andReturn(200, repository)
        .once();
    ClientConnection connection =
        ClientConnection.of(repository, io.kanister.kopia.core.user.KopiaUsername.of(user));
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/kanister/secrets/repository-global-client")
        .andReturn(
            200,
            GlobalClientSecret.desired(
                repository, connection, io.kanister.kopia.core.secret.SecretValue.of(token)))
        .once();
    MockPods.runningPod(server, "apps", "mover-0", "mover");
    PodTarget target = new PodTarget("apps", "mover-0", "mover");
    MockPods.acceptsWrite(
        server, target, "/run/kopia-client/repository.config", connection.renderConfig());
    MockPods.acceptsWrite(server, target, "/run/kopia-client/password", token);

    int code =
        run(
            "",
            "--repository=" + Repository.GLOBAL_NAME,
            "--namespace=kanister",
            "--user=" + user,
            "--pod=mover-0",
            "--pod-namespace=apps",
            "--container=mover",
            "--dir=/run/kopia-client");

    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(token);
  }

  @Test
  void usageErrorsNeverEchoArguments() {
    assertThat(run("", "--repository=r", "--user=u@h", "--pod=p", "hunter2-password")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown argument #4")
        .doesNotContain("hunter2");
    assertThat(run("", "--repository=r", "--user=u@h", "--pod=p")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--container is required");
    assertThat(run("", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("export-client");
  }

  @Test
  void aMissingRepositoryIsReported() {
    int code =
        run(
            "",
            "--repository=nope",
            "--namespace=kanister",
            "--user=mysql@monitoring.mysql-blue",
            "--pod=mysql-0",
            "--container=mover");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Repository kanister/nope does not exist");
  }
}
