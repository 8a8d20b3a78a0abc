package io.kanister.kopia.operator.bounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The permits with a recording runner whose "dark" commands hang until interrupted (the real-kopia
 * path of the same code is SlowStorageIT).
 */
class BoundedKopiaRunnerTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);

  private final KopiaRunner recording =
      command -> {
        String workspace = command.environment().get("KOPIA_CONFIG_PATH");
        ran.add(workspace);
        if (workspace.contains("/dark/")) {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KopiaCancelledException(command.verb());
          }
        }
        return new KopiaResult("", "", Duration.ZERO, false);
      };

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static KopiaCommand in(String workspace) {
    return KopiaCommand.of(List.of("repository", "status"))
        .withEnvironment(
            Map.of("KOPIA_CONFIG_PATH", "/work/" + workspace + "/repository.config"), Map.of());
  }

  @Test
  void aHangingRepositoryHoldsOnlyItsOwnShare() throws Exception {
    BoundedKopiaRunner runner = new BoundedKopiaRunner(recording, 3, 2);
    for (int i = 0; i < 5; i++) {
      threads.submit(() -> runner.run(in("dark")));
    }
    waitUntil(() -> ran.size() == 2);
    assertThat(runner.availablePermits()).isEqualTo(1);

    // The healthy Repository's commands still run, one after the other, on the permit left.
    for (int i = 0; i < 4; i++) {
      CompletableFuture.supplyAsync(() -> runner.run(in("healthy")), threads)
          .get(5, TimeUnit.SECONDS);
    }
    assertThat(ran).filteredOn(w -> w.contains("/dark/")).hasSize(2);
    assertThat(ran).filteredOn(w -> w.contains("/healthy/")).hasSize(4);
  }

  @Test
  void anExpiredPassHasItsKopiaStoppedAndItsNextRefusedWithATimeout() throws Exception {
    BoundedKopiaRunner runner = new BoundedKopiaRunner(recording, 2, 1);
    CountDownLatch started = new CountDownLatch(1);
    var thread = new Thread[1];
    CompletableFuture<Throwable> pass =
        CompletableFuture.supplyAsync(
            () -> {
              thread[0] = Thread.currentThread();
              started.countDown();
              Throwable first = catching(() -> runner.run(in("dark")));
              Throwable second = catching(() -> runner.run(in("healthy")));
              assertThat(Thread.currentThread().isInterrupted())
                  .as("the interrupt does not outlive the kopia it stopped")
                  .isFalse();
              runner.clearExpired(Thread.currentThread());
              assertThat(second).isInstanceOf(KopiaException.class);
              return first;
            },
            threads);
    started.await();
    waitUntil(() -> ran.size() == 1);
    runner.expire(thread[0], Duration.ofMinutes(10));

    Throwable first = pass.get(5, TimeUnit.SECONDS);
    assertThat(first).isInstanceOf(KopiaException.class);
    assertThat(((KopiaException) first).failure().kind()).isEqualTo(KopiaErrorKind.TIMEOUT);
    assertThat(first.getMessage()).contains("deadline of 10m (--pass-deadline)");
    assertThat(runner.availablePermits()).isEqualTo(2);
    assertThat(ran).hasSize(1);
  }

  @Test
  void commandsWithoutAWorkspaceTakeOnlyAGlobalPermit() {
    BoundedKopiaRunner runner = new BoundedKopiaRunner(recording, 1, 1);
    assertThat(BoundedKopiaRunner.workspaceOf(KopiaCommand.of(List.of("--version")))).isEmpty();
    assertThat(
            BoundedKopiaRunner.workspaceOf(
                KopiaCommand.of(
                    List.of("--config-file=/w/a/repository.config", "snapshot", "list"))))
        .hasValue(java.nio.file.Path.of("/w/a"));
    assertThatThrownBy(() -> new BoundedKopiaRunner(recording, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runner.availablePermits()).isEqualTo(1);
  }

  private static Throwable catching(Runnable run) {
    try {
      run.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
