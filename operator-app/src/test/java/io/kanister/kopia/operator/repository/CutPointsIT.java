package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator dies at each cut point of a first pass: after the Nth kopia command of the pass, no
 * further kopia runs (as if the process was killed there). The next passes, with kopia back, must
 * converge, and every invariant must hold ({@link RepositoryInvariants}). Real API server, real
 * kopia, a filesystem repository per cut.
 */
@RealKopia
@RealKubernetes
@Tag("battery")
class CutPointsIT {

  /** Lets the first {@code allowed} commands run, then refuses every one, like a dead process. */
  static final class Cut implements KopiaRunner {
    private final KopiaRunner delegate;
    private final AtomicInteger ran = new AtomicInteger();
    private volatile int allowed = Integer.MAX_VALUE;

    Cut(KopiaRunner delegate) {
      this.delegate = delegate;
    }

    void after(int commands) {
      ran.set(0);
      allowed = commands;
    }

    void heal() {
      allowed = Integer.MAX_VALUE;
    }

    @Override
    public KopiaResult run(KopiaCommand command) {
      if (ran.getAndIncrement() >= allowed) {
        throw new KopiaCancelledException(command.verb());
      }
      return delegate.run(command);
    }
  }

  @Test
  void aFirstPassCutAfterEachKopiaCommandConvergesWithEveryInvariant(
      KopiaSandbox sandbox, TestNamespace ns) throws Exception {
    Cut[] cut = new Cut[1];
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(
            ns.client(),
            ns.name(),
            sandbox.binary(),
            sandbox.root(),
            kopia -> cut[0] = new Cut(kopia))) {
      operator.filesystemLocation("ref-location", sandbox.newDir("ref"));
      operator.create("ref", "ref-location", null);
      List<String> firstPass = operator.pass("repository-ref");
      System.out.printf("[figures] cut points: a first pass runs %s%n", firstPass);
      assertThat(operator.condition("repository-ref", "RepositoryReady")).startsWith("True/");

      for (int n = 0; n < firstPass.size(); n++) {
        String app = "cut" + n;
        String name = "repository-" + app;
        Path storage = sandbox.newDir(app);
        operator.filesystemLocation(app + "-location", storage);
        operator.create(app, app + "-location", null);
        cut[0].after(n);
        try {
          operator.pass(name);
        } catch (RuntimeException e) {
          // The pass died at the cut (a cancelled kopia is rethrown, as on shutdown).
        }
        byte[] formatAtCut =
            Files.exists(storage.resolve("kopia.repository.f"))
                ? Files.readAllBytes(storage.resolve("kopia.repository.f"))
                : null;
        cut[0].heal();

        long start = System.nanoTime();
        int passes = 0;
        while (!operator.condition(name, "RepositoryReady").startsWith("True/")) {
          assertThat(++passes).as("passes to converge after the cut at %d", n).isLessThan(5);
          operator.pass(name);
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        RepositoryInvariants.Storage files = RepositoryInvariants.filesystem(storage);
        if (formatAtCut != null) {
          assertThat(files.formatBlob())
              .as("format blob written before the cut")
              .isEqualTo(formatAtCut);
        }
        System.out.printf(
            "[figures] cut after %d of %d commands (%s): converged in %d pass(es), %d ms%n",
            n, firstPass.size(), n == 0 ? "before any" : firstPass.get(n - 1), passes, millis);
        RepositoryInvariants.check(
            "cut after " + n,
            operator,
            name,
            files,
            RepositoryInvariants.take(operator, name, files),
            List.of(RealKopiaReconciler.PASSWORD));
      }
    }
  }
}
