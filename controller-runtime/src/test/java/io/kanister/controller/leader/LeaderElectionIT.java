package io.kanister.controller.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kanister.controller.Controller;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.widget.RecordingReconciler;
import io.kanister.controller.widget.Widget;
import io.kanister.controller.widget.WidgetCrd;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two runtimes compete for one Lease with short timings (3s lease, 2s renew, 0.5s retry). */
@RealKubernetes
class LeaderElectionIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void oneOfTwoLeadsAndAStoppedLeaderHandsOver(TestNamespace ns) throws Exception {
    WidgetCrd.install(ns.client());
    var first = new Candidate(ns, "first");
    var second = new Candidate(ns, "second");
    try (first;
        second) {
      first.runtime.start();
      second.runtime.start();
      await().atMost(PATIENCE).until(() -> first.runtime.isLeader() || second.runtime.isLeader());
      var leader = first.runtime.isLeader() ? first : second;
      var standby = leader == first ? second : first;
      assertThat(standby.runtime.isLeader()).isFalse();
      assertThat(holder(ns)).isEqualTo(leader.identity);

      ns.client().resource(Widget.named(ns.name(), "before", 1)).create();
      var before = new Request(ns.name(), "before");
      await().atMost(PATIENCE).until(() -> leader.reconciler.requests().contains(before));
      assertThat(standby.reconciler.requests()).isEmpty();

      leader.close();

      // Released on close, so the standby takes over within a retry period, not a lease.
      await().atMost(PATIENCE).until(standby.runtime::isLeader);
      assertThat(holder(ns)).isEqualTo(standby.identity);
      assertThat(leader.exits.getCount()).as("a clean shutdown is not a lost leadership").isOne();
      ns.client().resource(Widget.named(ns.name(), "after", 1)).create();
      await()
          .atMost(PATIENCE)
          .until(() -> standby.reconciler.requests().contains(new Request(ns.name(), "after")));
    }
  }

  @Test
  void losingTheLeaseStopsReconcilingAndExits(TestNamespace ns) throws Exception {
    WidgetCrd.install(ns.client());
    try (var candidate = new Candidate(ns, "only")) {
      candidate.runtime.start();
      await().atMost(PATIENCE).until(candidate.runtime::isLeader);

      // Another holder takes the Lease over, as after a network partition outlasting the lease.
      ns.client()
          .leases()
          .inNamespace(ns.name())
          .withName("widgets")
          .edit(
              lease -> {
                lease.getSpec().setHolderIdentity("usurper");
                lease.getSpec().setLeaseDurationSeconds(600);
                lease.getSpec().setRenewTime(ZonedDateTime.now());
                return lease;
              });

      assertThat(candidate.exits.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(candidate.runtime.isLeader()).isFalse();
      assertThat(candidate.controllerQueueShutDown()).isTrue();
    }
  }

  private static String holder(TestNamespace ns) {
    Lease lease = ns.client().leases().inNamespace(ns.name()).withName("widgets").get();
    return lease.getSpec().getHolderIdentity();
  }

  private static final class Candidate implements AutoCloseable {
    final String identity;
    final RecordingReconciler reconciler = new RecordingReconciler();
    final CountDownLatch exits = new CountDownLatch(1);
    final ControllerRuntime runtime;
    final Controller controller;

    Candidate(TestNamespace ns, String identity) {
      this.identity = identity;
      this.runtime =
          ControllerRuntime.builder(ns.client())
              .watchNamespace(ns.name())
              .leaderElection(
                  new LeaderElectionSettings(
                      ns.name(),
                      "widgets",
                      identity,
                      Duration.ofSeconds(3),
                      Duration.ofSeconds(2),
                      Duration.ofMillis(500)))
              .onLeadershipLost(exits::countDown)
              .build();
      this.controller = runtime.newController(Widget.class).complete(reconciler);
    }

    boolean controllerQueueShutDown() {
      return controller.queue().isShuttingDown();
    }

    @Override
    public void close() {
      runtime.close();
    }
  }
}
