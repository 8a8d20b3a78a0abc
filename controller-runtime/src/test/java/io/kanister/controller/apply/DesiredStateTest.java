package io.kanister.controller.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

  private static Service desiredService() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("repo-monitoring")
        .addToLabels("app", "kopia")
        .endMetadata()
        .withNewSpec()
        .withSelector(java.util.Map.of("app", "kopia"))
        .addNewPort()
        .withPort(51515)
        .withTargetPort(new IntOrString("kopia"))
        .endPort()
        .endSpec()
        .build();
  }

  @Test
  void fieldsTheServerAddsDoNotCountAsDrift() {
    Service live =
        new ServiceBuilder(desiredService())
            .editMetadata()
            .withResourceVersion("42")
            .withUid("u-1")
            .addToLabels("added-by-someone", "x")
            .endMetadata()
            .editSpec()
            .withClusterIP("10.96.0.12")
            .withType("ClusterIP")
            .editFirstPort()
            .withProtocol("TCP")
            .endPort()
            .endSpec()
            .withNewStatus()
            .endStatus()
            .build();
    assertThat(DesiredState.isSatisfiedBy(desiredService(), live)).isTrue();
  }

  @Test
  void aChangedOrMissingFieldIsDrift() {
    Service changedPort =
        new ServiceBuilder(desiredService())
            .editSpec()
            .editFirstPort()
            .withPort(1)
            .endPort()
            .endSpec()
            .build();
    Service lostLabel =
        new ServiceBuilder(desiredService()).editMetadata().withLabels(null).endMetadata().build();
    assertThat(DesiredState.isSatisfiedBy(desiredService(), changedPort)).isFalse();
    assertThat(DesiredState.isSatisfiedBy(desiredService(), lostLabel)).isFalse();
  }

  @Test
  void listsMustMatchElementForElement() {
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .addToData("k", "v")
            .build();
    ConfigMap extraKey = new ConfigMapBuilder(desired).addToData("other", "x").build();
    ConfigMap changed = new ConfigMapBuilder(desired).addToData("k", "w").build();
    assertThat(DesiredState.isSatisfiedBy(desired, extraKey)).isTrue();
    assertThat(DesiredState.isSatisfiedBy(desired, changed)).isFalse();
  }

  @Test
  void canonicalQuantitiesAndOmittedZeroValuesAreNotDrift() {
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .addToData("cpu", "0.5")
            .build();
    ConfigMap canonical =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .addToData("cpu", "500m")
            .build();
    assertThat(DesiredState.isSatisfiedBy(desired, canonical)).isTrue();

    io.fabric8.kubernetes.api.model.Pod withFalse =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("p")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withStdin(false)
            .endContainer()
            .endSpec()
            .build();
    io.fabric8.kubernetes.api.model.Pod omitted =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("p")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .endContainer()
            .endSpec()
            .build();
    assertThat(DesiredState.isSatisfiedBy(withFalse, omitted)).isTrue();
  }
}
