package io.kanister.controller.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.widget.RecordingReconciler;
import io.kanister.controller.widget.Widget;
import io.kanister.controller.widget.WidgetCrd;
import io.kanister.kopia.testsupport.LoopbackProxy;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Informers survive their watch being closed by the server side.
 *
 * <p>The API server only closes watches on its own after {@code --min-request-timeout} (30 to 60
 * minutes, not adjustable on a running server), and restarting the shared test control plane would
 * disturb other tests. So the runtime talks to the real API server through a TCP relay, and the
 * test cuts every connection of the relay: from the client's side this is exactly a server closing
 * the watch stream (the TLS session ends without a watch event). The informer must notice, watch
 * again over a new connection and deliver changes made meanwhile and afterwards.
 */
@RealKubernetes
class InformerRecoveryIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @Test
  void informersWatchAgainAfterTheServerClosedTheirConnection(TestNamespace ns) throws Exception {
    WidgetCrd.install(ns.client());
    var apiServer = URI.create(ns.cluster().url());
    var recorder = new RecordingReconciler();
    try (var proxy =
            new LoopbackProxy(new InetSocketAddress(apiServer.getHost(), apiServer.getPort()));
        var client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(ns.client().getConfiguration())
                        .withMasterUrl("https://" + apiServer.getHost() + ":" + proxy.port())
                        .build())
                .build();
        var runtime = ControllerRuntime.builder(client).watchNamespace(ns.name()).build()) {
      runtime.newController(Widget.class).complete(recorder);
      runtime.start();
      ns.client().resource(Widget.named(ns.name(), "before", 1)).create();
      await()
          .atMost(PATIENCE)
          .until(() -> recorder.requests().contains(new Request(ns.name(), "before")));
      int connectionsBefore = proxy.acceptedConnections();

      proxy.severAll();
      ns.client().resource(Widget.named(ns.name(), "during", 1)).create();

      await()
          .atMost(PATIENCE)
          .until(() -> recorder.requests().contains(new Request(ns.name(), "during")));
      ns.client().resource(Widget.named(ns.name(), "after", 1)).create();
      await()
          .atMost(PATIENCE)
          .until(() -> recorder.requests().contains(new Request(ns.name(), "after")));
      assertThat(proxy.acceptedConnections()).isGreaterThan(connectionsBefore);
      assertThat(runtime.cache(Widget.class).isWatching()).isTrue();
      assertThat(runtime.isLive()).isTrue();
    }
  }
}
