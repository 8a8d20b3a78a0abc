package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two Repositories race to create on one empty location, their first passes at the same moment (as
 * two workers would). One repository must come out in storage, owned by one Repository; the other
 * Repository must not claim another identity, and every invariant holds for the owner.
 */
@RealKopia
@RealKubernetes
@Tag("battery")
class CreateRaceIT {

  @Test
  void twoRepositoriesRacingOnOneEmptyLocationEndWithOneRepositoryAndOneOwner(
      KopiaSandbox sandbox, TestNamespace ns) throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(2);
    Path storage = sandbox.newDir("shared");
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(ns.client(), ns.name(), sandbox.binary(), sandbox.root())) {
      operator.filesystemLocation("shared-location", storage);
      operator.create("first", "shared-location", null);
      operator.create("second", "shared-location", null);
      var first =
          CompletableFuture.runAsync(() -> passQuietly(operator, "repository-first"), workers);
      var second =
          CompletableFuture.runAsync(() -> passQuietly(operator, "repository-second"), workers);
      first.get(2, TimeUnit.MINUTES);
      second.get(2, TimeUnit.MINUTES);
      String afterRace =
          operator.condition("repository-first", "RepositoryReady")
              + " / "
              + operator.condition("repository-second", "RepositoryReady");
      for (int i = 0; i < 2; i++) {
        passQuietly(operator, "repository-first");
        passQuietly(operator, "repository-second");
      }
      String firstState = operator.condition("repository-first", "RepositoryReady");
      String secondState = operator.condition("repository-second", "RepositoryReady");
      System.out.printf(
          "[figures] create race: after the racing passes %s; two passes later %s / %s%n",
          afterRace, firstState, secondState);

      List<String> ready =
          List.of("repository-first", "repository-second").stream()
              .filter(n -> operator.condition(n, "RepositoryReady").startsWith("True/"))
              .toList();
      assertThat(ready).as("Repositories Ready on the shared location").hasSize(1);
      String owner = ready.get(0);
      String other = owner.equals("repository-first") ? "repository-second" : "repository-first";
      assertThat(operator.condition(other, "RepositoryReady")).isEqualTo("False/StorageInUse");
      String ownerId = operator.get(owner).getStatus().getRepository().getUniqueId();
      var otherRecord = operator.get(other).getStatus().getRepository();
      if (otherRecord != null && otherRecord.getUniqueId() != null) {
        assertThat(otherRecord.getUniqueId())
            .as("the other Repository claims no other identity")
            .isEqualTo(ownerId);
      }
      RepositoryInvariants.Storage files = RepositoryInvariants.filesystem(storage);
      RepositoryInvariants.check(
          "create race",
          operator,
          owner,
          files,
          RepositoryInvariants.take(operator, owner, files),
          List.of(RealKopiaReconciler.PASSWORD));
    } finally {
      workers.shutdownNow();
    }
  }

  private static void passQuietly(RealKopiaReconciler operator, String name) {
    try {
      operator.pass(name);
    } catch (RuntimeException e) {
      // A failed pass is retried by the work queue; the test reads status.
    }
  }
}
