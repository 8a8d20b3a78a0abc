package io.kanister.kopia.operator.server;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the server objects are built from, decided by the reconciler. The builders that turn
 * it into a Deployment, a Service and a config Secret are pure functions.
 *
 * @param credentialEnvironment environment variable name to where its value comes from
 * @param inputsHash a digest of every input that should restart the server when it changes
 */
public record ServerPlan(
    String repositoryName,
    String namespace,
    Optional<String> targetNamespace,
    String serviceName,
    String image,
    int port,
    String configSecretName,
    String tlsSecretName,
    Map<String, EnvSource> credentialEnvironment,
    ResourceRequirements resources,
    Optional<SecretKey> gcsCredentials,
    String inputsHash) {

  /** Where an environment variable's value comes from. */
  public sealed interface EnvSource permits SecretKey, Literal {}

  /** A key of a Secret in the operator namespace. */
  public record SecretKey(String secretName, String key) implements EnvSource {}

  /** A plain value, for non-secret settings such as a default user name. */
  public record Literal(String value) implements EnvSource {}

  /** Mount points inside the server container. */
  public static final String CONFIG_DIR = "/run/kopia/config";

  public static final String CONFIG_FILE = CONFIG_DIR + "/repo.config";
  public static final String TLS_DIR = "/run/kopia/tls";
  public static final String CACHE_DIR = "/var/cache/kopia";
  public static final String GCS_DIR = "/run/kopia/gcs";
  public static final String GCS_CREDENTIALS_FILE = GCS_DIR + "/credentials.json";
  public static final String CONTAINER_NAME = "kopia-server";
  public static final String KOPIA_ENTRY_POINT = "/bin/kopia";

  /** The same plan, with the digest of the inputs the server was started from. */
  public ServerPlan withInputsHash(String hash) {
    return new ServerPlan(
        repositoryName,
        namespace,
        targetNamespace,
        serviceName,
        image,
        port,
        configSecretName,
        tlsSecretName,
        credentialEnvironment,
        resources,
        gcsCredentials,
        hash);
  }

  /** The URL clients and the operator use: the Service's cluster DNS name. */
  public String url() {
    return "https://" + serviceHost() + ":" + port;
  }

  public String serviceHost() {
    return serviceName + "." + namespace + ".svc";
  }
}
