package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Map;

/**
 * Workload objects for tests. No kubelet runs them here; what matters is what they declare: labels,
 * annotations, selector and ServiceAccount.
 */
public final class TestWorkloads {
  private TestWorkloads() {}

  /** A one-container StatefulSet whose pods carry {@code app=<name>}. */
  public static StatefulSet statefulSet(
      String namespace,
      String name,
      String serviceAccount,
      Map<String, String> labels,
      Map<String, String> annotations) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withServiceName(name)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(serviceAccount)
        .addNewContainer()
        .withName(name)
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
