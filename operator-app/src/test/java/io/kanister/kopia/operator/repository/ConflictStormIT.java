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

  /**
   * One pass straight through the reconciler: the helper's pass() waits for the cache to hold the
   * exact version it wrote, which the storm overtakes at once.
   */
  private static void stormPass(RealKopiaReconciler operator, TestNamespace ns) {
    try {
      operator
          .reconciler()
          .reconcile(new io.kanister.controller.reconcile.Request(ns.name(), NAME));
    } catch (Exception e) {
      // retried by the work queue; the test reads status
    }
  }

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
                              if (r.getMetadata().getAnnotations() == null) {
                                r.getMetadata().setAnnotations(new java.util.HashMap<>());
                              }
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
          stormPass(operator, ns);
        }
        // Two more passes under the storm: status keeps being written.
        stormPass(operator, ns);
        stormPass(operator, ns);
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
      Thread.sleep(500); // the cache catches up with the last edit before the steady pass
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
