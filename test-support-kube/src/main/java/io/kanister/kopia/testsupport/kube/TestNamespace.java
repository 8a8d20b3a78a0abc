package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.client.KubernetesClient;

/** A namespace created for one test, with an admin client and the control plane behind it. */
public record TestNamespace(String name, KubernetesClient client, LocalControlPlane cluster) {}
