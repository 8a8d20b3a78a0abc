package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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

  /**
   * Creates a one-container pod with {@code labels} and marks it Running, as a kubelet would (none
   * runs here); its ServiceAccount must exist (the API server's admission checks it).
   */
  public static Pod runningPod(
      KubernetesClient client,
      String namespace,
      String name,
      Map<String, String> labels,
      String serviceAccount,
      String container) {
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .withServiceAccountName(serviceAccount)
                    .addNewContainer()
                    .withName(container)
                    .withImage("localhost/kko/data-mover:0.23.1")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    pod.setStatus(new PodStatusBuilder().withPhase("Running").build());
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }
}
