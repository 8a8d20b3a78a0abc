package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code maintenance info} with a settable state, records every command, and holds {@code
 * maintenance run} until released, so a test can look at a run in flight.
 */
final class RecordingMaintenanceRunner implements KopiaRunner {
  final List<KopiaCommand> commands = new CopyOnWriteArrayList<>();
  volatile String owner = "kopia-operator@kanister.repo";
  volatile Duration quick = Duration.ofHours(1);
  volatile Duration full = Duration.ofHours(24);
  volatile Instant nextQuick = Instant.parse("0001-01-01T00:00:00Z");
  volatile Instant nextFull = Instant.parse("0001-01-01T00:00:00Z");
  volatile CountDownLatch runGate = new CountDownLatch(0);
  final CountDownLatch runStarted = new CountDownLatch(1);

  @Override
  public KopiaResult run(KopiaCommand command) {
    commands.add(command);
    List<String> args = command.args();
    if (args.size() >= 2 && args.get(1).equals("info")) {
      return new KopiaResult(infoJson(), "", Duration.ZERO, false);
    }
    if (args.size() >= 2 && args.get(1).equals("set")) {
      args.stream()
          .filter(a -> a.startsWith("--owner="))
          .findFirst()
          .ifPresent(a -> owner = a.substring("--owner=".length()));
      return new KopiaResult("", "", Duration.ZERO, false);
    }
    if (args.size() >= 2 && args.get(1).equals("run")) {
      runStarted.countDown();
      try {
        if (!runGate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released the run");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.kanister.kopia.core.exec.KopiaCancelledException(command.verb());
      }
      return new KopiaResult("", "", Duration.ZERO, false);
    }
    throw new IllegalStateException("unexpected " + command);
  }

  List<String> verbs() {
    return commands.stream().map(c -> String.join(" ", c.args().subList(0, 2))).toList();
  }

  private String infoJson() {
    return "{\"owner\":\""
        + owner
        + "\",\"quick\":{\"enabled\":true,\"interval\":"
        + quick.toNanos()
        + "},\"full\":{\"enabled\":true,\"interval\":"
        + full.toNanos()
        + "},\"schedule\":{\"nextFullMaintenance\":\""
        + nextFull
        + "\",\"nextQuickMaintenance\":\""
        + nextQuick
        + "\",\"runs\":null}}";
  }
}
