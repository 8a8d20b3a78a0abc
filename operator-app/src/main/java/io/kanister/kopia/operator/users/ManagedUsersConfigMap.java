package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.model.repository.Repository;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of {@link ManagedUsers} in a ConfigMap beside the Repository ({@code
 * <repository>-kopia-users}), owned by it so it goes when the Repository goes. It holds usernames
 * and origins only, never a password, and under {@link #VERIFIED_KEY} the keyed digests that let a
 * restarted operator know a stored password is current without PBKDF2 (see {@link
 * VerifiedPasswords}), and under {@link #REFRESH_KEY} whether the server still has to re-read its
 * users. Deleting it loses nothing: the operator then deletes no user until it has recorded the
 * users asked for again, and verifies each stored password once.
 *
 * <p>Writes replace the version that was read, so two writers cannot silently drop each other's
 * entries (the loser gets a 409 and the pass retries). The operator watches the record, so a
 * deleted or edited one is written again at once, not at the next resync.
 */
public final class ManagedUsersConfigMap implements ManagedUsers.Store {
  public static final String KEY = "users";
  public static final String VERIFIED_KEY = "verified";
  public static final String REFRESH_KEY = "server-refresh";

  /** The record's labels; the operator watches the ConfigMaps carrying them. */
  public static final Map<String, String> LABELS =
      Map.of("app.kubernetes.io/managed-by", "kopia-operator");

  private static final int MAX_NAME = 253;
  private static final String SUFFIX = "-kopia-users";

  private final KubernetesClient client;
  private final Repository repository;
  private ConfigMap read;
  private boolean fetched;

  public ManagedUsersConfigMap(KubernetesClient client, Repository repository) {
    this.client = client;
    this.repository = repository;
  }

  public static String name(Repository repository) {
    return name(repository, SUFFIX);
  }

  /** The Repository's name and {@code suffix}; a name too long for it is cut and gets a hash. */
  static String name(Repository repository, String suffix) {
    String name = repository.getMetadata().getName();
    if (name.length() + suffix.length() <= MAX_NAME) {
      return name + suffix;
    }
    String hash = Sha256.hex(name).substring(0, 8);
    return name.substring(0, MAX_NAME - suffix.length() - hash.length() - 1) + "-" + hash + suffix;
  }

  /** The record's resourceVersion as the API server has it now; empty when it does not exist. */
  public Optional<String> version() {
    read = configMaps().withName(name(repository)).get();
    fetched = true;
    return lastSeenVersion();
  }

  /** The resourceVersion this instance last read or wrote; empty when it found none. */
  Optional<String> lastSeenVersion() {
    return Optional.ofNullable(read).map(c -> c.getMetadata().getResourceVersion());
  }

  @Override
  public ManagedUsers read() {
    if (!fetched) {
      read = configMaps().withName(name(repository)).get();
    }
    // A pass reads the record once: the version check above, or here.
    fetched = true;
    return read == null || read.getData() == null
        ? ManagedUsers.none()
        : ManagedUsers.decode(
            read.getData().get(KEY),
            read.getData().get(VERIFIED_KEY),
            read.getData().get(REFRESH_KEY));
  }

  @Override
  public void write(ManagedUsers users) {
    if (read == null) {
      ConfigMap created =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(name(repository))
              .withNamespace(repository.getMetadata().getNamespace())
              .withLabels(LABELS)
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
    return users.refreshDue()
        ? Map.of(
            KEY,
            users.encode(),
            VERIFIED_KEY,
            users.encodeVerified(),
            REFRESH_KEY,
            ManagedUsers.REFRESH_DUE)
        : Map.of(KEY, users.encode(), VERIFIED_KEY, users.encodeVerified());
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          ConfigMap,
          io.fabric8.kubernetes.api.model.ConfigMapList,
          io.fabric8.kubernetes.client.dsl.Resource<ConfigMap>>
      configMaps() {
    return client.configMaps().inNamespace(repository.getMetadata().getNamespace());
  }

  /**
   * The key of one Repository's {@link VerifiedPasswords} digests: 32 random bytes in the Secret
   * {@code <repository>-kopia-users-key} beside the Repository (the operator's namespace), created
   * on first use and owned by the Repository, so it goes when the Repository goes. Read once per
   * operator process.
   *
   * <p>When the Secret can be neither read nor created (an RBAC gap, an API error), a key for this
   * process only is used, as before persisted verification: nothing fails, and every stored
   * password is verified once more after the next restart. The Secret is tried again on the next
   * pass.
   */
  public static final class UsersKeySecret implements VerifiedPasswords.KeySource {
    public static final String KEY = "hmac-key";
    private static final Logger LOG = LoggerFactory.getLogger(UsersKeySecret.class);
    private static final String SUFFIX = "-kopia-users-key";

    private final KubernetesClient client;
    private final Repository repository;
    private final byte[] fallback = VerifiedPasswords.newKey();
    private volatile byte[] key;
    private volatile boolean warned;

    public UsersKeySecret(KubernetesClient client, Repository repository) {
      this.client = client;
      this.repository = repository;
    }

    public static String name(Repository repository) {
      return ManagedUsersConfigMap.name(repository, SUFFIX);
    }

    @Override
    public byte[] key() {
      byte[] known = key;
      if (known != null) {
        return known;
      }
      try {
        known = readOrCreate();
        key = known;
        return known;
      } catch (KubernetesClientException | IllegalArgumentException e) {
        if (warned) {
          return fallback;
        }
        warned = true;
        LOG.warn(
            "Secret {}/{} (the key of verified user passwords) cannot be read or created (HTTP {});"
                + " stored passwords will be verified again after a restart",
            repository.getMetadata().getNamespace(),
            name(repository),
            e instanceof KubernetesClientException k ? k.getCode() : 0);
        return fallback;
      }
    }

    private byte[] readOrCreate() {
      var secrets = client.secrets().inNamespace(repository.getMetadata().getNamespace());
      Secret found = secrets.withName(name(repository)).get();
      if (found == null) {
        try {
          found = secrets.resource(newSecret()).create();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          // Another replica made it first: use its key.
          found = secrets.withName(name(repository)).get();
        }
      }
      String encoded = found == null || found.getData() == null ? null : found.getData().get(KEY);
      if (encoded == null) {
        throw new IllegalArgumentException("no key " + KEY);
      }
      byte[] bytes = Base64.getDecoder().decode(encoded);
      if (bytes.length < 16) {
        throw new IllegalArgumentException("key " + KEY + " is too short");
      }
      return bytes;
    }

    private Secret newSecret() {
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name(repository))
              .withNamespace(repository.getMetadata().getNamespace())
              .withLabels(Map.of("app.kubernetes.io/managed-by", "kopia-operator"))
              .endMetadata()
              .withType("Opaque")
              .withData(Map.of(KEY, Base64.getEncoder().encodeToString(VerifiedPasswords.newKey())))
              .build();
      if (repository.getMetadata().getUid() != null) {
        OwnerReferences.setController(repository, secret);
      }
      return secret;
    }
  }
}
