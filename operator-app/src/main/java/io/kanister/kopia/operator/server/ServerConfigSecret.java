package io.kanister.kopia.operator.server;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The server's {@code repo.config}. Kopia writes storage keys into it in clear text, so it lives in
 * a Secret owned by the Repository, never a ConfigMap.
 */
public final class ServerConfigSecret {
  public static final String KEY = "repo.config";

  private ServerConfigSecret() {}

  public static Secret of(ServerPlan plan, String repoConfigJson) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(plan.configSecretName())
        .withNamespace(plan.namespace())
        .withLabels(ServerLabels.all(plan))
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(
                KEY,
                Base64.getEncoder()
                    .encodeToString(repoConfigJson.getBytes(StandardCharsets.UTF_8))))
        .build();
  }
}
