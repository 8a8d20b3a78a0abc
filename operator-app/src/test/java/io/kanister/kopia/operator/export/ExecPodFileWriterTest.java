package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exec protocol of file writes, against the fabric8 mock server's exec expectations. */
class ExecPodFileWriterTest {
  private static final PodTarget TARGET = new PodTarget("monitoring", "mysql-0", "mover");
  private static final String PASSWORD = "s3cret-password-on-stdin-only";

  private KubernetesMockServer server;
  private KubernetesClient client;
  private ExecPodFileWriter writer;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    writer = new ExecPodFileWriter(client, Duration.ofSeconds(20));
    MockPods.runningPod(server, "monitoring", "mysql-0", "mover");
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void theContentGoesOverStdinAndTheCommandLineHoldsOnlyPathAndLength() throws Exception {
    MockPods.acceptsWrite(server, TARGET, "/kopia/password", PASSWORD);

    writer.write(TARGET, "/kopia/password", PASSWORD.getBytes(StandardCharsets.UTF_8));

    String execPath = MockPods.execPath(TARGET, "/kopia/password", PASSWORD.length());
    assertThat(execPath).doesNotContain(PASSWORD).contains("umask%20077");
    assertThat(ExecPodFileWriter.command("/kopia/password", PASSWORD.length()))
        .containsExactly(
            "sh",
            "-c",
            ExecPodFileWriter.SCRIPT,
            "kopia-export",
            "/kopia/password",
            Integer.toString(PASSWORD.length()));
    assertThat(ExecPodFileWriter.SCRIPT).contains("chmod 600").contains("head -c \"$2\"");
  }

  @Test
  void otherStdinThanExpectedIsNotAccepted() {
    MockPods.acceptsWrite(server, TARGET, "/kopia/password", "something-else-entirely-xx");

    // Same length, different bytes: the mock closes the stream without a success status.
    assertThatThrownBy(
            () ->
                writer.write(
                    TARGET,
                    "/kopia/password",
                    "something-else-entirely-yy".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ExportException.class)
        .hasMessageContaining("without an exit status");
  }

  @Test
  void aFailedCommandReportsItsStderrAndExitCode() {
    server
        .expect()
        .withPath(MockPods.execPath(TARGET, "/readonly/password", PASSWORD.length()))
        .andUpgradeToWebSocket()
        .open(
            new ErrorStreamMessage(
                "mkdir: can't create directory '/readonly': Read-only file system"))
        // The status follows the stdin, as a real exec's would.
        .expect("\u0000" + PASSWORD)
        .andEmit(new StatusMessage(1))
        .once()
        .done()
        .once();

    assertThatThrownBy(
            () ->
                writer.write(
                    TARGET, "/readonly/password", PASSWORD.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ExportException.class)
        .hasMessageContaining("exited")
        .hasMessageContaining("Read-only file system")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void aMissingContainerIsNamed() {
    assertThatThrownBy(
            () ->
                writer.write(
                    new PodTarget("monitoring", "mysql-0", "nope"),
                    "/kopia/password",
                    PASSWORD.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ExportException.class)
        .hasMessageContaining("container nope not found")
        .hasMessageNotContaining(PASSWORD);
  }
}
