package io.kanister.controller.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.widget.Widget;
import org.junit.jupiter.api.Test;

class ControllerOwnerMapperTest {
  private final ControllerOwnerMapper<ConfigMap> mapper = new ControllerOwnerMapper<>(Widget.class);

  @Test
  void mapsToTheControllerOwnerOfThePrimaryType() {
    var owner = widget("w", "uid-1");
    var owned = configMap();
    OwnerReferences.setController(owner, owned);

    assertThat(mapper.map(owned)).containsExactly(new Request("ns", "w"));
    assertThat(OwnerReferences.isControlledBy(owned, owner)).isTrue();
  }

  @Test
  void ignoresNonControllerReferencesAndOtherKinds() {
    var owned = configMap();
    owned
        .getMetadata()
        .getOwnerReferences()
        .add(
            new OwnerReferenceBuilder()
                .withApiVersion("runtime.kko.test/v1")
                .withKind("Widget")
                .withName("not-controller")
                .withUid("u")
                .build());
    assertThat(mapper.map(owned)).isEmpty();

    var byDeployment = configMap();
    OwnerReferences.setController(deployment(), byDeployment);
    assertThat(mapper.map(byDeployment)).isEmpty();
  }

  @Test
  void aSecondControllerIsRefused() {
    var owned = configMap();
    OwnerReferences.setController(widget("a", "uid-a"), owned);
    OwnerReferences.setController(widget("a", "uid-a"), owned);
    assertThat(owned.getMetadata().getOwnerReferences()).hasSize(1);

    assertThatThrownBy(() -> OwnerReferences.setController(widget("b", "uid-b"), owned))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already controlled by Widget a");
  }

  @Test
  void groupOfApiVersion() {
    assertThat(OwnerReferences.groupOf("v1")).isEmpty();
    assertThat(OwnerReferences.groupOf("apps/v1")).isEqualTo("apps");
  }

  private static Widget widget(String name, String uid) {
    var widget = Widget.named("ns", name, 1);
    widget.getMetadata().setUid(uid);
    return widget;
  }

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("w")
        .withUid("uid-d")
        .endMetadata()
        .build();
  }

  private static ConfigMap configMap() {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("owned")
        .withOwnerReferences(new java.util.ArrayList<>())
        .endMetadata()
        .build();
  }
}
