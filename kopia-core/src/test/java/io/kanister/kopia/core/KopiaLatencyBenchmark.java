package io.kanister.kopia.core;

import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.testsupport.TempFolders;
import io.kanister.kopia.testsupport.ToolBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints the wall time of single kopia calls on a filesystem repository: {@code server users add}
 * and {@code policy show}. A figure for the closing note, not a test: nothing is asserted.
 *
 * <p>Run: {@code scripts/benchmark.sh kopia-core io.kanister.kopia.core.KopiaLatencyBenchmark}
 */
public final class KopiaLatencyBenchmark {
  private static final int RUNS = 15;

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("kopia-bench-");
    try {
      Kopia kopia =
          Kopia.open(
              new ProcessKopiaRunner(ToolBinary.KOPIA.require()),
              KopiaWorkspace.create(root, "ws"),
              SecretValue.of("benchmark-password"));
      kopia.ensureRepository(
          FilesystemLocation.of(Files.createDirectories(root.resolve("repo")).toString()),
          new ClientIdentity("bench", "local"));
      UserPasswordHash hash = UserPasswordHash.create(SecretValue.of("user-password"));

      List<Long> usersAdd = new ArrayList<>();
      List<Long> policyShow = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        KopiaUsername user = KopiaUsername.of("user" + i + "@bench.workload");
        usersAdd.add(timeMillis(() -> kopia.addUser(user, hash)));
        policyShow.add(timeMillis(() -> kopia.effectivePolicy(PolicyTarget.global())));
      }
      print("server users add", usersAdd);
      print("policy show --global --json", policyShow);
    } finally {
      TempFolders.deleteRecursively(root);
    }
  }

  private static long timeMillis(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void print(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf(
        "%-30s runs=%d median=%d ms min=%d ms p90=%d ms max=%d ms%n",
        what,
        sorted.size(),
        sorted.get(sorted.size() / 2),
        sorted.get(0),
        sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1),
        sorted.get(sorted.size() - 1));
  }
}
