package io.kanister.controller.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.widget.RecordingReconciler;
import io.kanister.controller.widget.Widget;
import io.kanister.controller.widget.WidgetCrd;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@RealKubernetes
class HealthServerIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesHealthReadinessAndMetrics(TestNamespace ns) throws Exception {
    WidgetCrd.install(ns.client());
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var recorder = new RecordingReconciler();
    try (var runtime =
            ControllerRuntime.builder(ns.client())
                .watchNamespace(ns.name())
                .meterRegistry(registry)
                .build();
        var server =
            new HealthServer(new InetSocketAddress("127.0.0.1", 0), runtime, registry::scrape)
                .start()) {
      runtime.newController(Widget.class).complete(recorder);
      assertThat(status(server, "/readyz")).isEqualTo(503);
      assertThat(status(server, "/healthz")).isEqualTo(503);

      runtime.start();
      ns.client().resource(Widget.named(ns.name(), "measured", 1)).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> recorder.requests().contains(new Request(ns.name(), "measured")));

      assertThat(status(server, "/healthz")).isEqualTo(200);
      assertThat(status(server, "/readyz")).isEqualTo(200);
      var metrics = body(server, "/metrics");
      assertThat(metrics)
          .contains("controller_reconcile_total{controller=\"widget\",result=\"success\"}")
          .contains("controller_reconcile_duration_seconds")
          .contains("workqueue_depth{name=\"widget\"}")
          .contains("workqueue_queue_duration_seconds")
          .contains("workqueue_adds_total{name=\"widget\"}");
    }
  }

  private int status(HealthServer server, String path) throws Exception {
    return http.send(request(server, path), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String body(HealthServer server, String path) throws Exception {
    return http.send(request(server, path), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static HttpRequest request(HealthServer server, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build();
  }
}
