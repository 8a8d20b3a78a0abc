package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.core.command.ServerStartSpec;
import io.kanister.kopia.core.config.ClientOptions;
import io.kanister.kopia.core.config.DirectConnection;
import io.kanister.kopia.core.config.RepositoryConfig;
import io.kanister.kopia.core.config.RepositoryConfigFile;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.ImmutableGcsLocation;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.secret.AdminSecretParser;
import io.kanister.kopia.model.secret.LocationSecretParser;
import io.kanister.kopia.operator.server.KopiaServerDeployment;
import io.kanister.kopia.operator.server.KopiaServerService;
import io.kanister.kopia.operator.server.ServerConfigSecret;
import io.kanister.kopia.operator.server.ServerLabels;
import io.kanister.kopia.operator.server.ServerPlan;
import io.kanister.kopia.operator.server.ServerSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The desired server of one Repository, as Strimzi's {@code model/} does it: built once per pass by
 * a pure function of (Repository, parsed inputs, operator settings), no client calls, tested
 * offline. {@link ServerObjects} only applies what this builds.
 */
final class ServerModel {
  static final String FIELD_MANAGER = "kopia-operator";

  private final Repository repository;
  private final ServerPlan plan;
  private final RepositoryInputs inputs;
  private final String repoConfig;

  private ServerModel(
      Repository repository, ServerPlan plan, RepositoryInputs inputs, String repoConfig) {
    this.repository = repository;
    this.plan = plan;
    this.inputs = inputs;
    this.repoConfig = repoConfig;
  }

  static ServerModel of(
      Repository repository, RepositoryInputs inputs, String serviceName, ServerSettings settings) {
    String adminName = adminSecretName(inputs, serviceName);
    Secret admin = inputs.adminSecret().orElse(null);
    String locationName = inputs.locationSecret().getMetadata().getName();
    Map<String, ServerPlan.EnvSource> env = new LinkedHashMap<>();
    env.put(
        ServerStartSpec.REPOSITORY_PASSWORD_ENV,
        new ServerPlan.SecretKey(locationName, LocationSecretParser.REPO_PASSWORD));
    env.put(
        ServerStartSpec.UI_USERNAME_ENV,
        keyOr(
            admin,
            adminName,
            AdminSecretParser.USERNAME,
            new ServerPlan.Literal(AdminSecretParser.DEFAULT_USERNAME)));
    env.put(
        ServerStartSpec.UI_PASSWORD_ENV,
        new ServerPlan.SecretKey(adminName, AdminSecretParser.PASSWORD));
    env.put(
        ServerStartSpec.CONTROL_USERNAME_ENV,
        keyOr(
            admin,
            adminName,
            AdminSecretParser.CONTROL_USERNAME,
            new ServerPlan.Literal(AdminSecretParser.DEFAULT_CONTROL_USERNAME)));
    env.put(
        ServerStartSpec.CONTROL_PASSWORD_ENV,
        keyOr(
            admin,
            adminName,
            AdminSecretParser.CONTROL_PASSWORD,
            new ServerPlan.SecretKey(adminName, AdminSecretParser.PASSWORD)));
    Optional<ServerPlan.SecretKey> gcs =
        inputs.location().storage() instanceof GcsLocation
            ? Optional.of(
                new ServerPlan.SecretKey(locationName, LocationSecretParser.CREDENTIALS_JSON))
            : Optional.empty();
    ServerPlan plan =
        new ServerPlan(
            repository.getMetadata().getName(),
            repository.getMetadata().getNamespace(),
            Optional.ofNullable(repository.getSpec().getTargetNamespace()),
            serviceName,
            settings.image(),
            settings.port(),
            configSecretName(serviceName),
            inputs.tlsSecret().getMetadata().getName(),
            env,
            settings.resources(),
            gcs,
            "");
    return new ServerModel(
        repository, plan, inputs, repoConfig(inputs.location().storage(), serviceName));
  }

  /** The plan without the inputs digest. */
  ServerPlan plan() {
    return plan;
  }

  /** The server's {@code repo.config}, in a Secret. */
  Secret configSecret() {
    return owned(repository, ServerConfigSecret.of(plan, repoConfig));
  }

  /** The plan the Deployment is built from, with the digest of its inputs. */
  ServerPlan startedPlan() {
    return plan.withInputsHash(
        ServerInputsDigest.of(plan.image(), plan.port(), repoConfig, inputs));
  }

  Deployment deployment() {
    return owned(repository, KopiaServerDeployment.of(startedPlan()));
  }

  Service service() {
    return owned(repository, KopiaServerService.of(plan));
  }

  /** The admin Secret the server reads: the user's, or the generated one. */
  static String adminSecretName(RepositoryInputs inputs, String serviceName) {
    return inputs
        .adminSecret()
        .map(s -> s.getMetadata().getName())
        .orElse(GeneratedAdminSecret.name(serviceName));
  }

  /** Whether the spec names an admin Secret; otherwise the operator generates one. */
  static boolean generatesAdmin(Repository repository) {
    return repository.getSpec().getServer() == null
        || repository.getSpec().getServer().getAdminSecretName() == null;
  }

  /** The generated admin Secret to create when it is missing, with fresh random passwords. */
  static Secret generatedAdminSecret(Repository repository, String serviceName) {
    return owned(
        repository,
        GeneratedAdminSecret.of(
            repository.getMetadata().getNamespace(), serviceName, generatedLabels(repository)));
  }

  /** Every object of the model is controlled by its Repository, so GC removes it with it. */
  private static <T extends HasMetadata> T owned(Repository repository, T object) {
    OwnerReferences.setController(repository, object);
    return object;
  }

  static String configSecretName(String serviceName) {
    return serviceName + "-config";
  }

  /** The Secrets this model may create, for clean-up. */
  static List<String> ownedSecretNames(String serviceName) {
    return List.of(
        configSecretName(serviceName),
        GeneratedAdminSecret.name(serviceName),
        IssuedTlsSecret.name(serviceName));
  }

  /** The user's admin Secret, or (generated credentials) ours; a user's key may be absent. */
  private static ServerPlan.EnvSource keyOr(
      Secret userSecret, String secretName, String key, ServerPlan.EnvSource fallback) {
    if (userSecret == null) {
      return new ServerPlan.SecretKey(secretName, key); // the generated Secret has every key
    }
    boolean present =
        (userSecret.getData() != null && userSecret.getData().containsKey(key))
            || (userSecret.getStringData() != null && userSecret.getStringData().containsKey(key));
    return present ? new ServerPlan.SecretKey(secretName, key) : fallback;
  }

  /**
   * The server's repo.config: the storage parsed from the location Secret, with the GCS key at its
   * path in the server container instead of the operator's workspace.
   */
  private static String repoConfig(StorageLocation storage, String serviceName) {
    StorageLocation served =
        storage instanceof GcsLocation gcs && gcs.credentialsFile().isPresent()
            ? ImmutableGcsLocation.copyOf(gcs).withCredentialsFile(ServerPlan.GCS_CREDENTIALS_FILE)
            : storage;
    return RepositoryConfigFile.render(
        RepositoryConfig.builder()
            .connection(new DirectConnection(served))
            .clientOptions(ClientOptions.of(serviceName, "kopia-server"))
            .build());
  }

  static Map<String, String> generatedLabels(Repository repository) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/managed-by", FIELD_MANAGER);
    labels.put(
        "app.kubernetes.io/instance", ServerLabels.labelValue(repository.getMetadata().getName()));
    labels.put(
        RepositoryLabels.TARGET_NAMESPACE,
        repository.getSpec().getTargetNamespace() == null
            ? ""
            : repository.getSpec().getTargetNamespace());
    return labels;
  }
}
