package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.model.repository.Repository;
import java.util.Map;

/**
 * The record of {@link ManagedUsers} in a ConfigMap beside the Repository ({@code
 * <repository>-kopia-users}), owned by it so it goes when the Repository goes. It holds usernames
 * and origins only, never a password, and under {@link #VERIFIED_KEY} the keyed digests that let a
 * restarted operator know a stored password is current without PBKDF2 (see {@link
 * VerifiedPasswords}). Deleting it loses nothing: the operator then deletes no user until it has
 * recorded the users asked for again, and verifies each stored password once.
 *
 * <p>Writes replace the version that was read, so two writers cannot silently drop each other's
 * entries (the loser gets a 409 and the pass retries).
 */
public final class ManagedUsersConfigMap implements ManagedUsers.Store {
  public static final String KEY = "users";
  public static final String VERIFIED_KEY = "verified";
  private static final int MAX_NAME = 253;
  private static final String SUFFIX = "-kopia-users";

  private final KubernetesClient client;
  private final Repository repository;
  private ConfigMap read;

  public ManagedUsersConfigMap(KubernetesClient client, Repository repository) {
    this.client = client;
    this.repository = repository;
  }

  public static String name(Repository repository) {
    String name = repository.getMetadata().getName();
    if (name.length() + SUFFIX.length() <= MAX_NAME) {
      return name + SUFFIX;
    }
    String hash = Sha256.hex(name).substring(0, 8);
    return name.substring(0, MAX_NAME - SUFFIX.length() - hash.length() - 1) + "-" + hash + SUFFIX;
  }

  @Override
  public ManagedUsers read() {
    read = configMaps().withName(name(repository)).get();
    return read == null || read.getData() == null
        ? ManagedUsers.none()
        : ManagedUsers.decode(read.getData().get(KEY), read.getData().get(VERIFIED_KEY));
  }

  @Override
  public void write(ManagedUsers users) {
    if (read == null) {
      ConfigMap created =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(name(repository))
              .withNamespace(repository.getMetadata().getNamespace())
              .withLabels(Map.of("app.kubernetes.io/managed-by", "kopia-operator"))
              .endMetadata()
              .withData(data(users))
              .build();
      if (repository.getMetadata().getUid() != null) {
        OwnerReferences.setController(repository, created);
      }
      read = configMaps().resource(created).create();
    } else {
      ConfigMap changed = new ConfigMapBuilder(read).withData(data(users)).build();
      read = configMaps().resource(changed).update();
    }
  }

  private static Map<String, String> data(ManagedUsers users) {
    return Map.of(KEY, users.encode(), VERIFIED_KEY, users.encodeVerified());
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          ConfigMap,
          io.fabric8.kubernetes.api.model.ConfigMapList,
          io.fabric8.kubernetes.client.dsl.Resource<ConfigMap>>
      configMaps() {
    return client.configMaps().inNamespace(repository.getMetadata().getNamespace());
  }
}
