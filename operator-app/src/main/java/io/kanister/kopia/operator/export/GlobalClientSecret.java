package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.apply.ApplyOutcome;
import io.kanister.controller.apply.OwnedObjectApplier;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Global mode's one shared credential, delivered: a Secret {@code <repository>-client} in the
 * operator namespace holding the client {@code repository.config}, the {@code password} (the
 * current token of the operator's ServiceAccount) and the {@code username}. Kanister mounts or
 * reads it; {@code kopia-operator export-client} copies it into a pod. Only who may get Secrets in
 * the operator namespace, or is granted this one by name, may read it (docs/rotations.md).
 * Rewritten whenever the token rotates or the server certificate is renewed; owned by the
 * Repository, so it goes with it.
 */
public final class GlobalClientSecret {
  public static final String CONFIG_KEY = ClientFiles.CONFIG_FILE_NAME;
  public static final String PASSWORD_KEY = ClientFiles.PASSWORD_FILE_NAME;
  public static final String USERNAME_KEY = "username";
  static final String FIELD_MANAGER = "kopia-operator";
  static final String DESIRED_HASH_ANNOTATION = "controller.kanister.io/desired-hash";

  private final OwnedObjectApplier applier;

  public GlobalClientSecret(KubernetesClient client) {
    this.applier = new OwnedObjectApplier(client, FIELD_MANAGER, DESIRED_HASH_ANNOTATION);
  }

  /** The Secret's name for a Repository. */
  public static String name(Repository repository) {
    return repository.getMetadata().getName() + "-client";
  }

  /** The desired Secret; no Kubernetes call. */
  static Secret desired(
      Repository repository,
      ClientConnection connection,
      io.kanister.kopia.core.secret.SecretValue password) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CONFIG_KEY, base64(connection.renderConfig()));
    data.put(PASSWORD_KEY, base64(password.reveal()));
    data.put(USERNAME_KEY, base64(connection.username().value()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(repository))
        .withNamespace(repository.getMetadata().getNamespace())
        .addToLabels("app.kubernetes.io/managed-by", FIELD_MANAGER)
        .addToLabels("repo.kanister.io/client-of", repository.getMetadata().getName())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private static String base64(String value) {
    return java.util.Base64.getEncoder()
        .encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Writes the Secret for the shared user (the first of {@code users}) when its content changed.
   *
   * @return whether it was created or patched
   */
  public boolean publish(
      Repository repository,
      List<WorkloadReexport.DynamicUser> users,
      BiFunction<Repository, KopiaUsername, Optional<io.kanister.kopia.core.secret.SecretValue>>
          passwords) {
    if (users.isEmpty()) {
      return false;
    }
    KopiaUsername user = users.get(0).username();
    Optional<io.kanister.kopia.core.secret.SecretValue> password =
        passwords.apply(repository, user);
    if (password.isEmpty()) {
      return false;
    }
    ClientConnection connection;
    try {
      connection = ClientConnection.of(repository, user);
    } catch (IllegalStateException notServingYet) {
      return false;
    }
    var applied = applier.apply(repository, desired(repository, connection, password.get()));
    return applied.outcome() != ApplyOutcome.UNCHANGED;
  }
}
