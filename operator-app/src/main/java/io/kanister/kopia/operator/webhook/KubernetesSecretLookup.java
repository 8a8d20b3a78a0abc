package io.kanister.kopia.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.secret.SecretData;
import java.util.Optional;

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

  @Override
  public Optional<SecretData> data(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get())
        .map(SecretData::of);
  }
}
