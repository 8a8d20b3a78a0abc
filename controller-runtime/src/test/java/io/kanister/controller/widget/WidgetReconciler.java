package io.kanister.controller.widget;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.events.EventRecorder;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.controller.reconcile.Reconciler;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import io.kanister.controller.reconcile.TerminalException;
import io.kanister.controller.status.StatusWriter;
import java.util.Map;

/**
 * A level based test reconciler: keeps a ConfigMap {@code <name>-size} owned by the Widget with its
 * size, and reports it in status ({@code observedSize}, condition {@code Ready}). A negative size
 * is a terminal error.
 */
public final class WidgetReconciler implements Reconciler<Widget> {
  private final KubernetesClient client;
  private final InformerCache<Widget> widgets;
  private final StatusWriter statusWriter;
  private final EventRecorder events;

  public WidgetReconciler(
      KubernetesClient client,
      InformerCache<Widget> widgets,
      StatusWriter statusWriter,
      EventRecorder events) {
    this.client = client;
    this.widgets = widgets;
    this.statusWriter = statusWriter;
    this.events = events;
  }

  @Override
  public Result reconcile(Request request) {
    var found = widgets.get(request);
    if (found.isEmpty()) {
      return Result.done();
    }
    var widget = found.get();
    int size = widget.getSpec() == null ? 0 : widget.getSpec().getSize();
    if (size < 0) {
      events.warning(widget, "InvalidSize", "spec.size must not be negative");
      throw new TerminalException("Widget " + request + ": spec.size must not be negative");
    }
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace(request.namespace())
            .withName(request.name() + "-size")
            .endMetadata()
            .withData(Map.of("size", Integer.toString(size)))
            .build();
    OwnerReferences.setController(widget, desired);
    client.configMaps().resource(desired).forceConflicts().serverSideApply();
    statusWriter.update(
        widget,
        w -> {
          w.getStatus().setObservedSize(w.getSpec().getSize());
          w.getStatus()
              .set(
                  new WidgetCondition(
                      "Ready",
                      "True",
                      "SizeApplied",
                      "size " + size,
                      w.getMetadata().getGeneration()));
        });
    events.normal(widget, "Reconciled", "size " + size + " applied");
    return Result.done();
  }
}
