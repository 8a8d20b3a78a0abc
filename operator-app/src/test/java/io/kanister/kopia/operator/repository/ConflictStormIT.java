package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A conflict storm on the Repository: another client edits its metadata every 20 ms while the
 * operator runs its passes, so every status write meets a newer resourceVersion. The passes must
 * still write status and reach Ready, with every invariant holding afterwards.
 */
@RealKopia
@RealKubernetes
@Tag("battery")
class ConflictStormIT {
  private static final String NAME = "repository-storm";

  @Test
  void aRepositoryEditedFiftyTimesASecondStillGetsItsStatus(KopiaSandbox sandbox, TestNamespace ns)
      throws Exception {
    Path storage = sandbox.newDir("storm");
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(ns.client(), ns.name(), sandbox.binary(), sandbox.root())) {
      operator.filesystemLocation("storm-location", storage);
      operator.create("storm", "storm-location", null);
      AtomicBoolean storming = new AtomicBoolean(true);
      AtomicInteger edits = new AtomicInteger();
      Thread storm =
          new Thread(
              () -> {
                while (storming.get()) {
                  try {
                    ns.client()
                        .resources(Repository.class)
                        .inNamespace(ns.name())
                        .withName(NAME)
                        .edit(
                            r -> {
                              r.getMetadata()
                                  .getAnnotations()
                                  .put("storm.test/edit", String.valueOf(edits.incrementAndGet()));
                              return r;
                            });
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    // a conflict of the storm's own edit: try again
                  }
                }
              },
              "conflict-storm");
      long start = System.nanoTime();
      int passes = 0;
      storm.start();
      try {
        while (operator.get(NAME).getStatus() == null
            || !operator.condition(NAME, "RepositoryReady").startsWith("True/")) {
          assertThat(++passes).as("passes under the storm").isLessThan(10);
          try {
            operator.pass(NAME);
          } catch (RuntimeException e) {
            // retried by the work queue
          }
        }
        // Two more passes under the storm: status keeps being written.
        operator.pass(NAME);
        operator.pass(NAME);
      } finally {
        storming.set(false);
        storm.interrupt();
        storm.join();
      }
      System.out.printf(
          "[figures] conflict storm: %d edits of the Repository meanwhile; Ready after %d pass(es),"
              + " %d ms%n",
          edits.get(), passes, Duration.ofNanos(System.nanoTime() - start).toMillis());
      assertThat(edits.get()).isGreaterThan(10);
      RepositoryInvariants.Storage files = RepositoryInvariants.filesystem(storage);
      RepositoryInvariants.check(
          "conflict storm",
          operator,
          NAME,
          files,
          RepositoryInvariants.take(operator, NAME, files),
          List.of(RealKopiaReconciler.PASSWORD));
    }
  }
}
