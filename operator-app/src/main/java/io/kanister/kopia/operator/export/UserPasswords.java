package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.users.AccessUsers;
import io.kanister.kopia.operator.users.DesiredUsers;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.operator.users.PredefinedUsers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user's password as the operator knows it: a predefined user's from the Repository's access
 * Secrets, global mode's shared user's from the Secret {@code <repository>-client}. Shared by
 * {@code export-client} and {@code connect}.
 */
final class UserPasswords {
  private UserPasswords() {}

  /**
   * @throws IllegalStateException naming the Repository and the Secrets when {@code user} is
   *     neither, with the fix ({@code --password-stdin})
   */
  static io.kanister.kopia.core.secret.SecretValue lookup(
      KubernetesClient client, Repository repository, KopiaUsername user) {
    String namespace = repository.getMetadata().getNamespace();
    // Global mode names its users under the same host prefix the reconciler uses.
    String usersNamespace =
        Optional.ofNullable(repository.getSpec().getTargetNamespace())
            .orElse(AccessUsers.GLOBAL_USERS_NAMESPACE);
    List<String> names =
        repository.getSpec().getServer() == null
            ? List.of()
            : repository.getSpec().getServer().getAccessSecretNames();
    Optional<io.kanister.kopia.core.secret.SecretValue> predefined =
        predefined(client, repository, user);
    if (predefined.isPresent()) {
      return predefined.get();
    }
    return shared(client, repository, user)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    user
                        + " is not a predefined user of Repository "
                        + namespace
                        + "/"
                        + repository.getMetadata().getName()
                        + " (spec.server.accessSecretNames: "
                        + names
                        + ") nor the shared user of its Secret "
                        + GlobalClientSecret.name(repository)
                        + "; check --user (<username>@"
                        + usersNamespace
                        + ".<key>) or, for other users, pass the password on stdin with"
                        + " --password-stdin"));
  }

  /** A predefined user's password, from the Repository's access Secrets. */
  static Optional<io.kanister.kopia.core.secret.SecretValue> predefined(
      KubernetesClient client, Repository repository, KopiaUsername user) {
    String namespace = repository.getMetadata().getNamespace();
    String usersNamespace =
        Optional.ofNullable(repository.getSpec().getTargetNamespace())
            .orElse(AccessUsers.GLOBAL_USERS_NAMESPACE);
    List<String> names =
        repository.getSpec().getServer() == null
            ? List.of()
            : repository.getSpec().getServer().getAccessSecretNames();
    Map<String, Secret> found = new LinkedHashMap<>();
    for (String name : names) {
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret != null) {
        found.put(name, secret);
      }
    }
    DesiredUsers users = PredefinedUsers.from(usersNamespace, namespace, names, found);
    return Optional.ofNullable(users.users().get(user)).map(DesiredUser::password);
  }

  /** Global mode's shared credential, from the Secret the operator keeps it in. */
  private static Optional<io.kanister.kopia.core.secret.SecretValue> shared(
      KubernetesClient client, Repository repository, KopiaUsername user) {
    Secret shared =
        client
            .secrets()
            .inNamespace(repository.getMetadata().getNamespace())
            .withName(GlobalClientSecret.name(repository))
            .get();
    if (shared == null || shared.getData() == null) {
      return Optional.empty();
    }
    String username = decoded(shared, GlobalClientSecret.USERNAME_KEY);
    String password = decoded(shared, GlobalClientSecret.PASSWORD_KEY);
    if (username == null || password == null || !user.value().equals(username)) {
      return Optional.empty();
    }
    return Optional.of(io.kanister.kopia.core.secret.SecretValue.of(password));
  }

  private static String decoded(Secret secret, String key) {
    String value = secret.getData().get(key);
    return value == null
        ? null
        : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  /** A password given on stdin (never an argument), without surrounding whitespace. */
  static io.kanister.kopia.core.secret.SecretValue fromStdin(InputStream stdin) {
    try {
      String text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new IllegalArgumentException("--password-stdin: stdin was empty");
      }
      return io.kanister.kopia.core.secret.SecretValue.of(text);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the password from stdin");
    }
  }
}
