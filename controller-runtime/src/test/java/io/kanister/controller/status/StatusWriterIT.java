package io.kanister.controller.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.reconcile.Result;
import io.kanister.controller.widget.Widget;
import io.kanister.controller.widget.WidgetCrd;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@RealKubernetes
class StatusWriterIT {

  @Test
  void aConflictingStatusWriteIsRetriedOnTheFreshObject(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    var registry = new SimpleMeterRegistry();
    var writer = new StatusWriter(ns.client(), registry);
    var widgets = ns.client().resources(Widget.class).inNamespace(ns.name());
    var stale = widgets.resource(Widget.named(ns.name(), "contended", 2)).create();
    // Someone else changes the object after we read it: our resourceVersion is now stale.
    widgets
        .withName("contended")
        .edit(
            w -> {
              w.getSpec().setSize(5);
              return w;
            });

    var written = writer.update(stale, w -> w.getStatus().setObservedSize(w.getSpec().getSize()));

    assertThat(written.getStatus().getObservedSize()).isEqualTo(5);
    assertThat(widgets.withName("contended").get().getStatus().getObservedSize()).isEqualTo(5);
    assertThat(registry.counter("controller.status.conflicts").count()).isEqualTo(1);
  }

  @Test
  void anUnchangedStatusIsNotWritten(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    var writer = new StatusWriter(ns.client(), new SimpleMeterRegistry());
    var widgets = ns.client().resources(Widget.class).inNamespace(ns.name());
    var created = widgets.resource(Widget.named(ns.name(), "quiet", 1)).create();
    var first = writer.update(created, w -> w.getStatus().setObservedSize(1));

    var second = writer.update(first, w -> w.getStatus().setObservedSize(1));

    assertThat(second.getMetadata().getResourceVersion())
        .isEqualTo(first.getMetadata().getResourceVersion());
  }

  @Test
  void aDeletedObjectIsReportedAsNotFound(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    var writer = new StatusWriter(ns.client(), new SimpleMeterRegistry());
    var widgets = ns.client().resources(Widget.class).inNamespace(ns.name());
    var created = widgets.resource(Widget.named(ns.name(), "gone", 1)).create();
    widgets.withName("gone").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> widgets.withName("gone").get() == null);

    assertThatThrownBy(() -> writer.update(created, w -> w.getStatus().setObservedSize(1)))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void aReconcilerWritingFromAStaleCacheConverges(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    var registry = new SimpleMeterRegistry();
    var bumped = new AtomicBoolean();
    try (var runtime =
        ControllerRuntime.builder(ns.client())
            .watchNamespace(ns.name())
            .meterRegistry(registry)
            .build()) {
      var writer = new StatusWriter(ns.client(), registry);
      var cache = runtime.cache(Widget.class);
      var widgets = ns.client().resources(Widget.class).inNamespace(ns.name());
      runtime
          .newController(Widget.class)
          .complete(
              request -> {
                var cached = cache.get(request).orElseThrow();
                if (bumped.compareAndSet(false, true)) {
                  // A concurrent writer races the reconciler between its read and its write.
                  widgets
                      .withName(request.name())
                      .edit(
                          w -> {
                            w.getSpec().setSize(7);
                            return w;
                          });
                }
                writer.update(cached, w -> w.getStatus().setObservedSize(w.getSpec().getSize()));
                return Result.done();
              });
      runtime.start();

      widgets.resource(Widget.named(ns.name(), "raced", 1)).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(widgets.withName("raced").get().getStatus().getObservedSize())
                      .isEqualTo(7));
      assertThat(registry.counter("controller.status.conflicts").count()).isGreaterThanOrEqualTo(1);
    }
  }
}
