package io.kanister.kopia.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Looks Secrets up on the API server; needs {@code get} on Secrets in the operator namespace. */
public final class KubernetesSecretLookup implements SecretLookup {
  private final KubernetesClient client;

  public KubernetesSecretLookup(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean exists(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get() != null;
  }
}
