package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.model.repository.Repository;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key of one Repository's {@link VerifiedPasswords} digests: 32 random bytes in the Secret
 * {@code <repository>-kopia-users-key} beside the Repository (the operator's namespace), created on
 * first use and owned by the Repository, so it goes when the Repository goes. Read once per
 * operator process.
 *
 * <p>When the Secret can be neither read nor created (an RBAC gap, an API error), a key for this
 * process only is used, as before persisted verification: nothing fails, and every stored password
 * is verified once more after the next restart. The Secret is tried again on the next pass.
 */
public final class UsersKeySecret implements VerifiedPasswords.KeySource {
  public static final String KEY = "hmac-key";
  private static final Logger LOG = LoggerFactory.getLogger(UsersKeySecret.class);
  private static final int MAX_NAME = 253;
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
    String name = repository.getMetadata().getName();
    if (name.length() + SUFFIX.length() <= MAX_NAME) {
      return name + SUFFIX;
    }
    String hash = Sha256.hex(name).substring(0, 8);
    return name.substring(0, MAX_NAME - SUFFIX.length() - hash.length() - 1) + "-" + hash + SUFFIX;
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
