package io.kanister.controller.widget;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** A test-only custom resource: the runtime must work for any primary type. */
@Group("runtime.kko.test")
@Version("v1")
@Kind("Widget")
@Plural("widgets")
public class Widget extends CustomResource<WidgetSpec, WidgetStatus> implements Namespaced {
  public static Widget named(String namespace, String name, int size) {
    var widget = new Widget();
    widget.getMetadata().setNamespace(namespace);
    widget.getMetadata().setName(name);
    var spec = new WidgetSpec();
    spec.setSize(size);
    widget.setSpec(spec);
    return widget;
  }

  @Override
  protected WidgetStatus initStatus() {
    return new WidgetStatus();
  }
}
