package io.kanister.kopia.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Timeouts and cancellation stop the real kopia process. A server that is never connected to a
 * repository is the long-running command: it blocks until it is stopped.
 */
@RealKopia
class ProcessKopiaRunnerIT {

  @Test
  void aTimeoutStopsKopiaAndIsTyped(KopiaSandbox sandbox) throws Exception {
    int port = BackgroundProcess.freePort();
    KopiaCommand server = blockingServer(sandbox, port, Duration.ofSeconds(3));

    assertThatThrownBy(() -> new ProcessKopiaRunner(sandbox.binary()).run(server))
        .isInstanceOfSatisfying(
            KopiaException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KopiaErrorKind.TIMEOUT);
              assertThat(e.failure().exitCode()).isEmpty();
            });
    assertThat(listening(port)).as("server stopped after the timeout").isFalse();
  }

  @Test
  void interruptingTheCallerCancelsKopia(KopiaSandbox sandbox) throws Exception {
    int port = BackgroundProcess.freePort();
    KopiaCommand server = blockingServer(sandbox, port, Duration.ofMinutes(5));
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                new ProcessKopiaRunner(sandbox.binary()).run(server);
                outcome.complete(null);
              } catch (RuntimeException e) {
                outcome.complete(e);
              }
            });
    caller.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!listening(port) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(listening(port)).as("server came up").isTrue();

    caller.interrupt();

    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(KopiaCancelledException.class);
    assertThat(listening(port)).as("server stopped after cancellation").isFalse();
  }

  @Test
  void shutDownStopsRunningKopiaAndRefusesNewRuns(KopiaSandbox sandbox) throws Exception {
    int port = BackgroundProcess.freePort();
    KopiaCommand server = blockingServer(sandbox, port, Duration.ofMinutes(5));
    ProcessKopiaRunner runner = new ProcessKopiaRunner(sandbox.binary());
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                runner.run(server);
                outcome.complete(null);
              } catch (RuntimeException e) {
                outcome.complete(e);
              }
            });
    caller.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!listening(port) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(listening(port)).as("server came up").isTrue();
    assertThat(runner.runningCount()).isEqualTo(1);

    long start = System.nanoTime();
    assertThat(runner.shutDown(Duration.ofSeconds(2))).isEqualTo(1);
    System.out.printf(
        "[figures] shutDown stopped a running kopia server in %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(KopiaCancelledException.class);
    assertThat(listening(port)).as("server stopped by shutDown").isFalse();
    assertThat(runner.runningCount()).isZero();
    assertThatThrownBy(() -> runner.run(KopiaCommand.of(List.of("--version"))))
        .isInstanceOf(KopiaCancelledException.class);
  }

  @Test
  void aNulByteInASecretIsATypedFailureThatNeverShowsTheValue(KopiaSandbox sandbox) {
    String secret = "pass\0word-that-must-not-leak";
    KopiaCommand command =
        KopiaCommand.builder()
            .args(List.of("repository", "status"))
            .secretEnvironment(java.util.Map.of("KOPIA_PASSWORD", secret))
            .build();

    assertThatThrownBy(() -> new ProcessKopiaRunner(sandbox.binary()).run(command))
        .isInstanceOfSatisfying(
            KopiaException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KopiaErrorKind.START_FAILED);
              assertThat(e.getMessage())
                  .contains("KOPIA_PASSWORD")
                  .contains("NUL")
                  .doesNotContain("word-that-must-not-leak");
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void anyStartFailureIsTypedAndKeepsOnlyTheExceptionType(KopiaSandbox sandbox) {
    // The JDK refuses this name with a message quoting it, as it quotes a refused value.
    KopiaCommand badName =
        KopiaCommand.builder()
            .args(List.of("repository", "status"))
            .secretEnvironment(java.util.Map.of("A=B", "value-that-must-not-leak"))
            .build();
    assertThatThrownBy(() -> new ProcessKopiaRunner(sandbox.binary()).run(badName))
        .isInstanceOfSatisfying(
            KopiaException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KopiaErrorKind.START_FAILED);
              assertThat(e.getMessage())
                  .contains("IllegalArgumentException")
                  .doesNotContain("value-that-must-not-leak")
                  .doesNotContain("A=B");
            });

    KopiaCommand status = KopiaCommand.of(List.of("repository", "status"));
    assertThatThrownBy(
            () -> new ProcessKopiaRunner(sandbox.root().resolve("no-such-kopia")).run(status))
        .isInstanceOfSatisfying(
            KopiaException.class, e -> assertThat(e.kind()).isEqualTo(KopiaErrorKind.START_FAILED));
  }

  private static KopiaCommand blockingServer(KopiaSandbox sandbox, int port, Duration timeout) {
    KopiaWorkspace workspace = KopiaWorkspace.create(sandbox.root(), "server-" + port);
    return KopiaCommand.builder()
        .args(
            List.of(
                "server",
                "start",
                "--insecure",
                "--without-password",
                "--address=127.0.0.1:" + port))
        .timeout(timeout)
        .build()
        .withEnvironment(workspace.environment(), java.util.Map.of());
  }

  private static boolean listening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
