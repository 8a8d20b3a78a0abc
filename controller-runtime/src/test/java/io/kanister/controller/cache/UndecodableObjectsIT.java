package io.kanister.controller.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.widget.RecordingReconciler;
import io.kanister.controller.widget.Widget;
import io.kanister.controller.widget.WidgetCrd;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An object its Java type cannot hold (the Widget CRD has no schema, so {@code spec.size} may be
 * any number, but the Java field is an int) neither stops the informer nor hides later objects: it
 * is skipped, counted and reported with an Event on it, and readiness holds. An informer that does
 * stop makes the runtime unready.
 */
@RealKubernetes
class UndecodableObjectsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final long TOO_LARGE = 1_000_000_000_000L;

  @Test
  void aBadObjectIsSkippedAndReportedAndLaterObjectsAreStillSeen(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    var recorder = new RecordingReconciler();
    var widgets =
        ns.client()
            .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(Widget.class));
    // Already there when the informer first lists.
    widgets.inNamespace(ns.name()).resource(widget(ns.name(), "bad-before", TOO_LARGE)).create();
    try (var runtime =
        ControllerRuntime.builder(ns.client())
            .watchNamespace(ns.name())
            .events(new EventRecorder(ns.client(), "widget-controller", "test", Clock.systemUTC()))
            .build()) {
      runtime.newController(Widget.class).complete(recorder);
      runtime.start();
      ns.client().resource(Widget.named(ns.name(), "good-1", 1)).create();
      await().atMost(PATIENCE).until(() -> recorder.requests().contains(request(ns, "good-1")));

      // Arrives through the watch, then a good object after it.
      widgets.inNamespace(ns.name()).resource(widget(ns.name(), "bad-after", TOO_LARGE)).create();
      // A good object turned bad leaves the cache instead of lingering in its old version.
      widgets.inNamespace(ns.name()).resource(widget(ns.name(), "good-1", TOO_LARGE)).update();
      ns.client().resource(Widget.named(ns.name(), "good-2", 2)).create();

      await().atMost(PATIENCE).until(() -> recorder.requests().contains(request(ns, "good-2")));
      InformerCache<Widget> cache = runtime.cache(Widget.class);
      await().atMost(PATIENCE).until(() -> cache.get(ns.name(), "good-1").isEmpty());
      assertThat(cache.get(ns.name(), "good-2")).isPresent();
      assertThat(cache.get(ns.name(), "bad-before")).isEmpty();
      assertThat(cache.get(ns.name(), "bad-after")).isEmpty();
      assertThat(cache.isRunning()).isTrue();
      assertThat(cache.isWatching()).isTrue();
      assertThat(runtime.isReady()).isTrue();
      assertThat(runtime.isLive()).isTrue();

      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  decodeFailures(ns).stream()
                          .map(e -> e.getInvolvedObject().getName())
                          .distinct()
                          .count()
                      == 3);
      for (Event event : decodeFailures(ns)) {
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage())
            .contains("Widget " + ns.name() + "/" + event.getInvolvedObject().getName())
            .contains("field spec.size")
            .doesNotContain(Long.toString(TOO_LARGE));
        assertThat(event.getInvolvedObject().getUid()).isNotBlank();
      }
      double counted =
          runtime
              .meterRegistry()
              .get(UndecodableObjects.METRIC)
              .tag("kind", "Widget")
              .counter()
              .count();
      assertThat(counted).isEqualTo(3.0);

      // Fixed, it is seen again.
      widgets.inNamespace(ns.name()).resource(widget(ns.name(), "bad-after", 3)).update();
      await().atMost(PATIENCE).until(() -> recorder.requests().contains(request(ns, "bad-after")));
      assertThat(cache.get(ns.name(), "bad-after").orElseThrow().getSpec().getSize()).isEqualTo(3);

      // Readiness fails as soon as any informer stops.
      cache.stop();
      assertThat(runtime.isReady()).isFalse();
    }
  }

  private static Request request(TestNamespace ns, String name) {
    return new Request(ns.name(), name);
  }

  private static List<Event> decodeFailures(TestNamespace ns) {
    return ns.client().v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(e -> UndecodableObjects.REASON.equals(e.getReason()))
        .toList();
  }

  private static GenericKubernetesResource widget(String namespace, String name, long size) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("runtime.kko.test/v1")
        .withKind("Widget")
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("size", size)))
        .build();
  }
}
