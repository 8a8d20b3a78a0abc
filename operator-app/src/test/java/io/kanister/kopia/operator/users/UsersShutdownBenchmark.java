package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.ToolBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issue 14 P6: stops a 500-user convergence mid-way, the way the operator stops (OperatorMain:
 * kopia refused and its children sent SIGTERM with a 2 s grace, then the controller gives the
 * reconcile in flight 5 s before it interrupts it), and prints how long the convergence took to end
 * and how many kopia children are left. Twice: during the writes of a first convergence (real
 * kopia), and during the PBKDF2 verifications of a restart whose key was lost (no kopia involved,
 * so only the interrupt can end it). Prints figures; asserts nothing.
 *
 * <pre>
 * scripts/benchmark.sh operator-app io.kanister.kopia.operator.users.UsersShutdownBenchmark [users] [stop-after-seconds]
 * </pre>
 */
public final class UsersShutdownBenchmark {
  private static final Duration KOPIA_STOP_GRACE = Duration.ofSeconds(2);
  private static final Duration RECONCILE_GRACE = Duration.ofSeconds(5);

  private UsersShutdownBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    long stopAfterMillis = (long) (1000 * (args.length > 1 ? Double.parseDouble(args[1]) : 20));
    Path kopia = ToolBinary.KOPIA.require();
    Path root = Files.createTempDirectory("users-shutdown-benchmark-");
    System.out.printf(
        "users=%d stop after %d ms, cpus=%d%n",
        count, stopAfterMillis, Runtime.getRuntime().availableProcessors());

    DesiredUsers tokens = desired(count, i -> (UUID.randomUUID() + ".").repeat(28));
    try (RealKopiaServer real =
        RealKopiaServer.repositoryOnly(new KopiaSandbox(kopia, "shutdown", root))) {
      UsersConverger converger = new UsersConverger(UsersConverger.DEFAULT_PARALLELISM);
      Thread reconcile =
          start(() -> converger.converge(real.operator(), tokens, MemoryRecord.of(), () -> {}));
      Thread.sleep(stopAfterMillis);
      int written = real.counting().userWrites();
      long stop = System.nanoTime();
      int killed = real.runner().shutDown(KOPIA_STOP_GRACE);
      boolean interrupted = awaitOrInterrupt(reconcile);
      report(
          "writes",
          "after " + written + " of " + count + " writes; " + killed + " kopia running at the stop",
          stop,
          interrupted,
          reconcile,
          real.runner().runningCount());
    }

    // One stored hash for every user: setting up costs one PBKDF2, verifying costs one per user.
    SecretValue password = SecretValue.of("same-password-for-the-benchmark");
    InMemoryUsersRunner memory = new InMemoryUsersRunner();
    UserPasswordHash hash = UserPasswordHash.create(password);
    DesiredUsers same = desired(count, i -> password.reveal());
    same.users().keySet().forEach(u -> memory.users.put(u.value(), hash));
    Kopia inMemory = Kopia.open(memory, new KopiaWorkspace(root.resolve("none")), password);
    UsersConverger lostKey = new UsersConverger(UsersConverger.DEFAULT_PARALLELISM);
    Thread verifying = start(() -> lostKey.converge(inMemory, same, MemoryRecord.of(), () -> {}));
    Thread.sleep(Math.min(stopAfterMillis, 10_000));
    int verified = lostKey.passwordDerivations();
    long stop = System.nanoTime();
    boolean interrupted = awaitOrInterrupt(verifying);
    report(
        "verify",
        "after " + verified + " of " + count + " PBKDF2 verifications",
        stop,
        interrupted,
        verifying,
        0);
  }

  private static DesiredUsers desired(int count, java.util.function.IntFunction<String> password) {
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      KopiaUsername name = KopiaUsername.of("sa-" + i + "@monitoring.workload-" + i);
      users.put(
          name,
          new DesiredUser(
              name, SecretValue.of(password.apply(i)), "benchmark", MemoryRecord.originOf(name)));
    }
    return new DesiredUsers(users, List.of());
  }

  private static Thread start(Runnable convergence) {
    Thread thread =
        new Thread(
            () -> {
              try {
                convergence.run();
                System.out.println("  convergence ended normally");
              } catch (RuntimeException e) {
                System.out.println("  convergence ended with " + e.getClass().getSimpleName());
              }
            },
            "reconcile");
    thread.start();
    return thread;
  }

  /** As the controller does: wait {@link #RECONCILE_GRACE}, then interrupt and wait 1 s. */
  private static boolean awaitOrInterrupt(Thread reconcile) throws InterruptedException {
    reconcile.join(RECONCILE_GRACE.toMillis());
    if (!reconcile.isAlive()) {
      return false;
    }
    reconcile.interrupt();
    reconcile.join(1_000);
    return true;
  }

  private static void report(
      String phase, String when, long stop, boolean interrupted, Thread reconcile, int running) {
    double seconds = (System.nanoTime() - stop) / 1e9;
    long children =
        ProcessHandle.current()
            .descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("kopia")).orElse(false))
            .filter(ProcessHandle::isAlive)
            .count();
    System.out.printf(
        "stop-%-6s %s: ended in %.2fs (goal <= 10 s)%s%s; kopia children left=%d (runner counts"
            + " %d)%n",
        phase,
        when,
        seconds,
        interrupted ? ", after the interrupt" : ", without an interrupt",
        reconcile.isAlive() ? ", STILL RUNNING" : "",
        children,
        running);
  }
}
