package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.LoopbackProxy;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The API server restarts under the whole operator (informers, work queue, status writes), on a
 * control plane of its own (the shared one stays up for the other tests): kube-apiserver is stopped
 * and started again on the same port and etcd. Then {@code 410 Gone}: the operator's connection is
 * held dark (a loopback relay moving no byte) while the Repository is edited and a new one created,
 * etcd is compacted to its current revision and the API server restarted (a fresh watch cache), so
 * every informer's resourceVersion is too old. Each time the operator must reconcile again (the
 * edit applied, the new Repository Ready) and the invariants must hold.
 */
@RealKopia
@Tag("battery")
class ApiServerRestartIT {
  private static final String NAMESPACE = "faults";
  private static final String PASSWORD = "api-restart-repository-password";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void theOperatorReconcilesAfterARestartAndRelistsAfter410Gone(KopiaSandbox sandbox)
      throws Exception {
    ListAppender<ILoggingEvent> gone = new ListAppender<>();
    Logger reflector =
        (Logger)
            LoggerFactory.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector");
    Level reflectorLevel = reflector.getLevel();
    gone.start();
    reflector.addAppender(gone);
    reflector.setLevel(Level.DEBUG);
    reflector.setAdditive(false);
    try (LocalControlPlane plane = LocalControlPlane.start();
        RepositoryInvariants.OperatorLog log = RepositoryInvariants.OperatorLog.capture()) {
      KubernetesClient admin = plane.adminClient();
      RepositoryCrdInstall.shipped(admin);
      FaultFixtures.namespace(admin, NAMESPACE);
      URI api = URI.create(plane.url());
      try (var relay = new LoopbackProxy(new InetSocketAddress(api.getHost(), api.getPort()));
          KubernetesClient throughRelay =
              new KubernetesClientBuilder()
                  .withConfig(
                      new ConfigBuilder(admin.getConfiguration())
                          .withMasterUrl("https://" + api.getHost() + ":" + relay.port())
                          .build())
                  .build();
          InJvmOperator operator =
              new InJvmOperator(
                  throughRelay,
                  admin,
                  NAMESPACE,
                  sandbox.binary(),
                  sandbox.newDir("work"),
                  Duration.ofSeconds(3))) {
        Path firstStorage = sandbox.newDir("first");
        FaultFixtures.repository(admin, NAMESPACE, "first", firstStorage, PASSWORD);
        long firstReady =
            InJvmOperator.millisUntil(() -> operator.readyAtCurrentGeneration("first"), PATIENCE);
        RepositoryInvariants.Storage storage = RepositoryInvariants.filesystem(firstStorage);
        RepositoryInvariants.Baseline before =
            new RepositoryInvariants.Baseline(
                operator.get("first").getStatus().getRepository().getUniqueId(),
                storage.formatBlob(),
                storage.blobs());

        // 1. A plain restart: stop, 2 s away, start on the same port and etcd.
        Duration away = plane.restartApiServer(Duration.ofSeconds(2));
        long back = System.nanoTime();
        int mark = operator.kopia.mark();
        FaultFixtures.keepLatest(admin, NAMESPACE, "first", 7);
        FaultFixtures.repository(admin, NAMESPACE, "second", sandbox.newDir("second"), PASSWORD);
        long edited =
            InJvmOperator.millisUntil(() -> operator.readyAtCurrentGeneration("first"), PATIENCE);
        long created =
            InJvmOperator.millisUntil(() -> operator.readyAtCurrentGeneration("second"), PATIENCE);
        long recovered = Duration.ofNanos(System.nanoTime() - back).toMillis();
        assertThat(operator.kopia.since(mark)).as("the edit was applied").contains("policy set");
        System.out.printf(
            "[figures] API server restart: first Repository Ready in %d ms; API server away %d ms"
                + " (stop, 2 s, start to ready); after it was back, an edit applied in %d ms and a"
                + " new Repository Ready in %d ms (both within %d ms)%n",
            firstReady, away.toMillis(), edited, edited + created, recovered);
        RepositoryInvariants.check(
            "API server restart",
            () -> operator.get("first"),
            () -> operator.events("first"),
            () -> operator.steadyVerbs(Duration.ofSeconds(7)),
            storage,
            before,
            List.of(PASSWORD));

        // 2. 410 Gone: the operator sees nothing while objects change, history is compacted away.
        relay.stall();
        int markGap = operator.kopia.mark();
        FaultFixtures.keepLatest(admin, NAMESPACE, "first", 5);
        FaultFixtures.repository(admin, NAMESPACE, "third", sandbox.newDir("third"), PASSWORD);
        for (int i = 0; i < 20; i++) {
          admin
              .configMaps()
              .inNamespace(NAMESPACE)
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withName("churn-" + i)
                      .endMetadata()
                      .withData(Map.of("i", String.valueOf(i)))
                      .build())
              .create();
        }
        long compacted = plane.compactEtcd();
        int goneBefore = goneCount(gone);
        Duration awayAgain = plane.restartApiServer(Duration.ZERO);
        relay.resume();
        relay.severAll();
        long resumed = System.nanoTime();
        long gapEdit =
            InJvmOperator.millisUntil(() -> operator.readyAtCurrentGeneration("first"), PATIENCE);
        long gapCreate =
            InJvmOperator.millisUntil(() -> operator.readyAtCurrentGeneration("third"), PATIENCE);
        long relisted = Duration.ofNanos(System.nanoTime() - resumed).toMillis();
        int goneAfter = goneCount(gone);
        System.out.printf(
            "[figures] 410 Gone: etcd compacted to revision %d during a dark gap, API server"
                + " restarted (%d ms); %d watches restarted on 410 Gone and relisted; the edit made"
                + " in the gap applied %d ms and the Repository created in it Ready %d ms after"
                + " the relay carried bytes again (%d ms)%n",
            compacted,
            awayAgain.toMillis(),
            goneAfter - goneBefore,
            gapEdit,
            gapEdit + gapCreate,
            relisted);
        assertThat(goneAfter - goneBefore).as("watches that got 410 Gone").isPositive();
        assertThat(operator.kopia.since(markGap))
            .as("the gap's edit applied")
            .contains("policy set");
        RepositoryInvariants.check(
            "410 Gone after compaction",
            () -> operator.get("first"),
            () -> operator.events("first"),
            () -> operator.steadyVerbs(Duration.ofSeconds(7)),
            storage,
            before,
            List.of(PASSWORD));
        RepositoryInvariants.checkLog("API server restart and 410 Gone", log, List.of(PASSWORD));
      }
    } finally {
      reflector.detachAppender(gone);
      reflector.setLevel(reflectorLevel);
      reflector.setAdditive(true);
    }
  }

  private static int goneCount(ListAppender<ILoggingEvent> log) {
    return (int)
        List.copyOf(log.list).stream()
            .filter(e -> e.getFormattedMessage().contains("http gone"))
            .count();
  }
}
