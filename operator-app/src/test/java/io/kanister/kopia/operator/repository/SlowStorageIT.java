package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.operator.bounds.BoundedKopiaRunner;
import io.kanister.kopia.operator.bounds.PassDeadline;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.LoopbackProxy;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One Repository's S3 goes dark (a relay that holds every byte: kopia's requests hang) while a
 * healthy filesystem Repository is reconciled beside it, as the operator's two workers would, with
 * the operator's kopia bounds (2 at once, 1 per Repository) and a short pass deadline. The healthy
 * pass must finish while the dark one still hangs; the dark one must be cut at its deadline, with
 * its kopia stopped, a Warning Event and a condition naming the deadline, and it must recover once
 * S3 is back. Real API server, real kopia, s3proxy.
 */
@RealKopia
@RealKubernetes
@RealS3
@org.junit.jupiter.api.Tag("battery")
class SlowStorageIT {
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final String DARK = "repository-dark";
  private static final String HEALTHY = "repository-healthy";

  @Test
  void aDarkStorageDelaysNoOtherRepositoryAndItsPassIsCutAtTheDeadline(
      KopiaSandbox sandbox, TestNamespace ns, S3Bucket bucket) throws Exception {
    URI s3 = URI.create(bucket.endpoint());
    AtomicReference<BoundedKopiaRunner> bounded = new AtomicReference<>();
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try (var proxy = new LoopbackProxy(new InetSocketAddress(s3.getHost(), s3.getPort()));
        RealKopiaReconciler operator =
            new RealKopiaReconciler(
                ns.client(),
                ns.name(),
                sandbox.binary(),
                sandbox.root(),
                kopia -> {
                  bounded.set(new BoundedKopiaRunner(kopia, 2, 1));
                  return bounded.get();
                });
        PassDeadline passes =
            new PassDeadline(
                operator.reconciler(),
                bounded.get(),
                DEADLINE,
                operator.repositories(),
                new EventRecorder(ns.client(), "kopia-operator", "slow-it", Clock.systemUTC()))) {
      String relayed = "127.0.0.1:" + proxy.port();
      operator.s3Location(
          "dark-location",
          new S3Bucket(
              "http://" + relayed,
              relayed,
              bucket.region(),
              bucket.bucket(),
              bucket.accessKey(),
              bucket.secretKey()),
          "dark/");
      operator.filesystemLocation("healthy-location", sandbox.newDir("healthy"));
      operator.create("dark", "dark-location", null);
      operator.create("healthy", "healthy-location", null);
      // Set-up passes without the deadline: creating on S3 may be slow on a loaded machine.
      operator.pass(DARK);
      operator.pass(HEALTHY);
      assertThat(operator.condition(DARK, "RepositoryReady")).startsWith("True/");
      assertThat(operator.condition(HEALTHY, "RepositoryReady")).startsWith("True/");
      RepositoryInvariants.Storage darkStorage = RepositoryInvariants.s3(bucket, "dark/");
      RepositoryInvariants.Baseline darkBefore =
          RepositoryInvariants.take(operator, DARK, darkStorage);
      long baseline = CompletableFuture.supplyAsync(() -> pass(passes, ns, HEALTHY), workers).get();

      proxy.stall();
      long darkStarted = System.nanoTime();
      CompletableFuture<Long> dark =
          CompletableFuture.supplyAsync(() -> pass(passes, ns, DARK), workers);
      Thread.sleep(500);
      CompletableFuture<Long> healthy =
          CompletableFuture.supplyAsync(() -> pass(passes, ns, HEALTHY), workers);
      long healthyMillis = healthy.get(2, TimeUnit.MINUTES);
      boolean darkStillRunning = !dark.isDone();
      long darkMillis = dark.get(2, TimeUnit.MINUTES);

      String darkCondition = operator.message(DARK, "RepositoryReady");
      System.out.printf(
          "[figures] dark S3: healthy pass %d ms beside it (%d ms alone; bound: it finishes"
              + " before the dark pass's %d s deadline), dark pass cut after %d ms (deadline %d"
              + " ms); dark condition: %s (2 cores shared with other helpers: noisy)%n",
          healthyMillis,
          baseline,
          DEADLINE.toSeconds(),
          darkMillis,
          DEADLINE.toMillis(),
          darkCondition);
      assertThat(darkStillRunning)
          .as("the healthy pass finished while the dark one still hung")
          .isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - darkStarted)).isGreaterThan(DEADLINE);
      assertThat(operator.events(DARK, PassDeadline.REASON)).isNotEmpty();
      assertThat(operator.events(HEALTHY, PassDeadline.REASON)).isEmpty();
      assertThat(operator.condition(HEALTHY, "RepositoryReady")).startsWith("True/");
      assertThat(operator.get(DARK).getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getMessage()).contains("--pass-deadline"));
      assertThat(liveKopia()).as("kopia processes left after the cut").isZero();
      assertThat(bounded.get().availablePermits()).isEqualTo(2);

      proxy.resume();
      long back = System.nanoTime();
      long recovered = 0;
      while (!operator.condition(DARK, "RepositoryReady").startsWith("True/")
          || operator.get(DARK).getStatus().getConditions().stream()
              .anyMatch(
                  c -> c.getMessage() != null && c.getMessage().contains("--pass-deadline"))) {
        recovered++;
        operator.pass(DARK);
        assertThat(recovered).as("passes after S3 came back").isLessThan(5);
      }
      System.out.printf(
          "[figures] dark S3 back: Ready again after %d ms (%d pass(es))%n",
          Duration.ofNanos(System.nanoTime() - back).toMillis(), Math.max(1, recovered));
      RepositoryInvariants.check(
          "S3 dark, then back",
          operator,
          DARK,
          darkStorage,
          darkBefore,
          List.of(RealKopiaReconciler.PASSWORD, bucket.secretKey()));

      // S3 slow: every chunk held 50 ms each way. A Repository created on it gets there, within
      // its pass deadline, and the healthy one is not held up meanwhile.
      operator.s3Location(
          "slow-location",
          new S3Bucket(
              "http://" + relayed,
              relayed,
              bucket.region(),
              bucket.bucket(),
              bucket.accessKey(),
              bucket.secretKey()),
          "slow/");
      operator.create("slow", "slow-location", null);
      proxy.delay(Duration.ofMillis(50));
      CompletableFuture<Long> slow =
          CompletableFuture.supplyAsync(() -> pass(passes, ns, "repository-slow"), workers);
      Thread.sleep(200);
      long healthyBesideSlow =
          CompletableFuture.supplyAsync(() -> pass(passes, ns, HEALTHY), workers).get();
      long slowMillis = slow.get(2, TimeUnit.MINUTES);
      proxy.resume();
      System.out.printf(
          "[figures] S3 slow (50 ms per chunk): first pass %d ms, %s; healthy pass beside it %d"
              + " ms%n",
          slowMillis, operator.condition("repository-slow", "RepositoryReady"), healthyBesideSlow);
      while (!operator.condition("repository-slow", "RepositoryReady").startsWith("True/")) {
        operator.pass("repository-slow");
      }
      RepositoryInvariants.Storage slowStorage = RepositoryInvariants.s3(bucket, "slow/");
      RepositoryInvariants.check(
          "S3 slow",
          operator,
          "repository-slow",
          slowStorage,
          RepositoryInvariants.take(operator, "repository-slow", slowStorage),
          List.of(RealKopiaReconciler.PASSWORD, bucket.secretKey()));
    } finally {
      workers.shutdownNow();
    }
  }

  /** One pass through the deadline, as a worker runs it; returns its milliseconds. */
  private static long pass(PassDeadline passes, TestNamespace ns, String name) {
    long start = System.nanoTime();
    try {
      passes.reconcile(new Request(ns.name(), name));
    } catch (Exception e) {
      // A transient failure or a cut pass: the work queue would retry; the test reads status.
    }
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  private static long liveKopia() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/kopia")).orElse(false))
        .count();
  }
}
