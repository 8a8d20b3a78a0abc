package io.kanister.controller.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kanister.controller.ControllerRuntime;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.controller.metrics.ReconcileMetrics;
import io.kanister.controller.metrics.ReconcileMetrics.Outcome;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.status.StatusWriter;
import io.kanister.controller.widget.RecordingReconciler;
import io.kanister.controller.widget.Widget;
import io.kanister.controller.widget.WidgetCrd;
import io.kanister.controller.widget.WidgetReconciler;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three kinds of watch against a real API server: primary, owned and mapped. */
@RealKubernetes
class ControllerWatchesIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void aCreateIsReconciled(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    try (var runtime = ControllerRuntime.builder(ns.client()).watchNamespace(ns.name()).build()) {
      var statusWriter = new StatusWriter(ns.client(), runtime.meterRegistry());
      var events = new EventRecorder(ns.client(), "widget-controller", "test", Clock.systemUTC());
      runtime
          .newController(Widget.class)
          .owns(ConfigMap.class)
          .workers(2)
          .complete(
              new WidgetReconciler(ns.client(), runtime.cache(Widget.class), statusWriter, events));
      runtime.start();

      ns.client().resource(Widget.named(ns.name(), "first", 3)).create();

      var widgets = ns.client().resources(Widget.class).inNamespace(ns.name());
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                var widget = widgets.withName("first").get();
                assertThat(widget.getStatus().getObservedSize()).isEqualTo(3);
                assertThat(widget.getStatus().isTrue("Ready")).isTrue();
              });
      var configMap = ns.client().configMaps().inNamespace(ns.name()).withName("first-size").get();
      assertThat(configMap.getData()).containsEntry("size", "3");
      assertThat(OwnerReferences.isControlledBy(configMap, widgets.withName("first").get()))
          .isTrue();
      // The status is written before the reconcile returns and is counted.
      var metrics = new ReconcileMetrics(runtime.meterRegistry(), "widget");
      await().atMost(PATIENCE).until(() -> metrics.count(Outcome.SUCCESS) > 0);
      var recorded = ns.client().v1().events().inNamespace(ns.name()).list().getItems();
      assertThat(recorded).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Reconciled"));
    }
  }

  @Test
  void anOwnedObjectsChangeReconcilesItsOwner(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    var recorder = new RecordingReconciler();
    try (var runtime = ControllerRuntime.builder(ns.client()).watchNamespace(ns.name()).build()) {
      runtime
          .newController(Widget.class)
          .withEventFilter(EventPredicate.generationChanged())
          .owns(ConfigMap.class)
          .complete(recorder);
      runtime.start();
      var owner = ns.client().resource(Widget.named(ns.name(), "owner", 1)).create();
      var request = new Request(ns.name(), "owner");
      await().atMost(PATIENCE).until(() -> recorder.requests().contains(request));
      await().atMost(PATIENCE).until(() -> runtime.cache(ConfigMap.class).hasSynced());
      recorder.clear();

      // Only the owned object changes; the owner itself is left alone.
      var owned =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withNamespace(ns.name())
              .withName("owned")
              .endMetadata()
              .withData(Map.of("k", "v"))
              .build();
      OwnerReferences.setController(owner, owned);
      ns.client().configMaps().resource(owned).create();

      await().atMost(PATIENCE).until(() -> recorder.requests().contains(request));
      assertThat(Set.copyOf(recorder.requests())).containsExactly(request);
    }
  }

  @Test
  void aMappedWatchReconcilesTheMappedKey(TestNamespace ns) {
    WidgetCrd.install(ns.client());
    var recorder = new RecordingReconciler();
    try (var runtime = ControllerRuntime.builder(ns.client()).watchNamespace(ns.name()).build()) {
      runtime
          .newController(Widget.class)
          .watches(
              Secret.class,
              secret -> {
                var labels = secret.getMetadata().getLabels();
                var widget = labels == null ? null : labels.get("widget");
                return widget == null
                    ? Set.of()
                    : Set.of(new Request(secret.getMetadata().getNamespace(), widget));
              })
          .complete(recorder);
      runtime.start();
      await().atMost(PATIENCE).until(runtime::isReady);

      ns.client()
          .secrets()
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(ns.name())
                  .withName("credentials")
                  .withLabels(Map.of("widget", "served"))
                  .endMetadata()
                  .withStringData(Map.of("password", "not-a-real-one"))
                  .build())
          .create();
      ns.client()
          .secrets()
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(ns.name())
                  .withName("unrelated")
                  .endMetadata()
                  .build())
          .create();

      var mapped = new Request(ns.name(), "served");
      await().atMost(PATIENCE).until(() -> recorder.requests().contains(mapped));
      assertThat(Set.copyOf(recorder.requests())).containsExactly(mapped);
    }
  }
}
