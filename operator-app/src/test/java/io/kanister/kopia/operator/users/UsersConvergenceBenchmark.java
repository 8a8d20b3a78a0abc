package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.ToolBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * 500 dynamic-like users (token-sized passwords) converging on a real filesystem repository, then a
 * steady-state resync. Prints figures; asserts nothing.
 *
 * <pre>
 * scripts/benchmark.sh operator-app io.kanister.kopia.operator.users.UsersConvergenceBenchmark [users] [parallelism]
 * </pre>
 */
public final class UsersConvergenceBenchmark {
  private UsersConvergenceBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int parallelism =
        args.length > 1 ? Integer.parseInt(args[1]) : UsersConverger.DEFAULT_PARALLELISM;
    Path kopia = ToolBinary.KOPIA.require();
    Path root = Files.createTempDirectory("users-benchmark-");
    KopiaSandbox sandbox = new KopiaSandbox(kopia, "benchmark", root);
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      KopiaUsername name = KopiaUsername.of("sa-" + i + "@monitoring.workload-" + i);
      // Roughly the size of a ServiceAccount JWT.
      String token = (UUID.randomUUID() + ".").repeat(28);
      users.put(
          name,
          new DesiredUser(name, SecretValue.of(token), "benchmark", MemoryRecord.originOf(name)));
    }
    DesiredUsers desired = new DesiredUsers(users, List.of());
    ManagedUsers.Store managed = MemoryRecord.of();
    int[] refreshes = {0};
    ServerRefresher counted = () -> refreshes[0]++;
    System.out.printf(
        "users=%d parallelism=%d cpus=%d%n",
        count, parallelism, Runtime.getRuntime().availableProcessors());
    try (RealKopiaServer real = RealKopiaServer.repositoryOnly(sandbox)) {
      UsersConverger converger = new UsersConverger(parallelism);
      run("initial", converger, real, desired, managed, counted, refreshes);
      run("resync", converger, real, desired, managed, counted, refreshes);
      run("restart", new UsersConverger(parallelism), real, desired, managed, counted, refreshes);
    }
  }

  private static void run(
      String label,
      UsersConverger converger,
      RealKopiaServer real,
      DesiredUsers desired,
      ManagedUsers.Store managed,
      ServerRefresher refresher,
      int[] refreshes) {
    int writesBefore = real.counting().userWrites();
    int invocationsBefore = real.counting().invocations();
    int refreshesBefore = refreshes[0];
    long started = System.nanoTime();
    ConvergenceResult result = converger.converge(real.operator(), desired, managed, refresher);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "%-8s added=%d updated=%d unchanged=%d kopiaWrites=%d (runner saw %d writes, %d kopia"
            + " invocations) refreshes=%d wall=%.1fs failures=%d%n",
        label,
        result.added(),
        result.updated(),
        result.unchanged(),
        result.kopiaWrites(),
        real.counting().userWrites() - writesBefore,
        real.counting().invocations() - invocationsBefore,
        refreshes[0] - refreshesBefore,
        seconds,
        result.failures().size());
  }
}
