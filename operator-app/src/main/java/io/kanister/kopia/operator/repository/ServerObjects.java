package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.kanister.controller.apply.ApplyOutcome;
import io.kanister.controller.apply.ForeignObjectException;
import io.kanister.controller.apply.OwnedObjectApplier;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.core.command.ServerStartSpec;
import io.kanister.kopia.core.config.ClientOptions;
import io.kanister.kopia.core.config.DirectConnection;
import io.kanister.kopia.core.config.RepositoryConfig;
import io.kanister.kopia.core.config.RepositoryConfigFile;
import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.secret.AdminSecretParser;
import io.kanister.kopia.model.secret.LocationSecretParser;
import io.kanister.kopia.model.secret.SecretData;
import io.kanister.kopia.operator.server.KopiaServerDeployment;
import io.kanister.kopia.operator.server.KopiaServerService;
import io.kanister.kopia.operator.server.ServerConfigSecret;
import io.kanister.kopia.operator.server.ServerLabels;
import io.kanister.kopia.operator.server.ServerPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Steps 4 to 6: the server's config Secret, its Deployment and its Service, each created when
 * missing and patched only when it drifted from what the Repository asks for.
 */
final class ServerObjects {
  static final String FIELD_MANAGER = "kopia-operator";

  /** Kept under the name the operator has always stamped, so upgrades do not re-apply objects. */
  static final String DESIRED_HASH_ANNOTATION = "controller.kanister.io/desired-hash";

  /** The result of one pass: the plan, the live Deployment, and what changed. */
  record Applied(ServerPlan plan, Deployment deployment, List<String> changes) {}

  private final KubernetesClient client;
  private final OwnedObjectApplier applier;
  private final String image;
  private final int port;
  private final ResourceRequirements resources;

  ServerObjects(KubernetesClient client, String image, int port, ResourceRequirements resources) {
    this.client = client;
    this.applier = new OwnedObjectApplier(client, FIELD_MANAGER, DESIRED_HASH_ANNOTATION);
    this.image = image;
    this.port = port;
    this.resources = resources;
  }

  /** The generated admin Secret when the spec names none; created once, never changed. */
  Optional<Secret> generatedAdmin(Repository repository, String serviceName) {
    if (repository.getSpec().getServer() != null
        && repository.getSpec().getServer().getAdminSecretName() != null) {
      return Optional.empty();
    }
    String namespace = repository.getMetadata().getNamespace();
    Secret existing =
        client
            .secrets()
            .inNamespace(namespace)
            .withName(GeneratedAdminSecret.name(serviceName))
            .get();
    if (existing != null) {
      if (!OwnerReferences.isControlledBy(existing, repository)) {
        throw new ForeignObjectException(existing, repository);
      }
      return Optional.of(existing);
    }
    Secret created = GeneratedAdminSecret.of(namespace, serviceName, labels(repository));
    OwnerReferences.setController(repository, created);
    return Optional.of(client.resource(created).create());
  }

  Applied apply(Repository repository, RepositoryInputs inputs, String serviceName) {
    List<String> changes = new ArrayList<>();
    ServerPlan draft = plan(repository, inputs, serviceName, "");
    var config =
        applier.apply(repository, ServerConfigSecret.of(draft, repoConfig(inputs, serviceName)));
    note(changes, config.outcome(), "Secret " + draft.configSecretName());

    ServerPlan plan = plan(repository, inputs, serviceName, inputsHash(inputs, config.object()));
    var deployment = applier.apply(repository, KopiaServerDeployment.of(plan));
    note(changes, deployment.outcome(), "Deployment " + serviceName);
    var service = applier.apply(repository, KopiaServerService.of(plan));
    note(changes, service.outcome(), "Service " + serviceName);
    return new Applied(plan, deployment.object(), changes);
  }

  /**
   * Deletes what {@link #apply} created for {@code repository}; returns the kinds and names
   * removed. An object of the same name that the Repository does not control is left alone.
   */
  List<String> delete(Repository repository, String serviceName) {
    String namespace = repository.getMetadata().getNamespace();
    List<String> removed = new ArrayList<>();
    deleteIfOwned(
        repository,
        client.apps().deployments().inNamespace(namespace).withName(serviceName),
        removed);
    deleteIfOwned(
        repository, client.services().inNamespace(namespace).withName(serviceName), removed);
    for (String secret :
        List.of(configSecretName(serviceName), GeneratedAdminSecret.name(serviceName))) {
      deleteIfOwned(repository, client.secrets().inNamespace(namespace).withName(secret), removed);
    }
    return removed;
  }

  private static <T extends HasMetadata> void deleteIfOwned(
      Repository repository, Resource<T> resource, List<String> removed) {
    T object = resource.get();
    if (object != null && OwnerReferences.isControlledBy(object, repository)) {
      resource.delete();
      removed.add(object.getKind() + " " + object.getMetadata().getName());
    }
  }

  private ServerPlan plan(
      Repository repository, RepositoryInputs inputs, String serviceName, String inputsHash) {
    String adminName = inputs.admin() == null ? null : adminSecretName(repository, serviceName);
    Secret admin = inputs.adminSecret().orElse(null);
    Map<String, ServerPlan.EnvSource> env = new LinkedHashMap<>();
    env.put(
        ServerStartSpec.REPOSITORY_PASSWORD_ENV,
        new ServerPlan.SecretKey(
            inputs.locationSecret().getMetadata().getName(), LocationSecretParser.REPO_PASSWORD));
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
                new ServerPlan.SecretKey(
                    inputs.locationSecret().getMetadata().getName(),
                    LocationSecretParser.CREDENTIALS_JSON))
            : Optional.empty();
    return new ServerPlan(
        repository.getMetadata().getName(),
        repository.getMetadata().getNamespace(),
        Optional.ofNullable(repository.getSpec().getTargetNamespace()),
        serviceName,
        image,
        port,
        configSecretName(serviceName),
        inputs.tlsSecret().getMetadata().getName(),
        env,
        resources,
        gcs,
        inputsHash);
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

  private static String adminSecretName(Repository repository, String serviceName) {
    return repository.getSpec().getServer() != null
            && repository.getSpec().getServer().getAdminSecretName() != null
        ? repository.getSpec().getServer().getAdminSecretName()
        : GeneratedAdminSecret.name(serviceName);
  }

  static String configSecretName(String serviceName) {
    return serviceName + "-config";
  }

  /** The server's repo.config: the same storage, with the GCS key at its mounted path. */
  private static String repoConfig(RepositoryInputs inputs, String serviceName) {
    var storage =
        LocationSecretParser.parse(
                SecretData.of(inputs.locationSecret()), ServerPlan.GCS_CREDENTIALS_FILE)
            .value()
            .storage();
    return RepositoryConfigFile.render(
        RepositoryConfig.builder()
            .connection(new DirectConnection(storage))
            .clientOptions(ClientOptions.of(serviceName, "kopia-server"))
            .build());
  }

  /**
   * A digest of what the server was started from. Built from resourceVersions, never from Secret
   * data, so the annotation reveals nothing about the values.
   */
  private String inputsHash(RepositoryInputs inputs, Secret configSecret) {
    StringBuilder material = new StringBuilder();
    material.append(image).append('|').append(port);
    material.append("|config=").append(configSecret.getMetadata().getResourceVersion());
    material
        .append("|location=")
        .append(inputs.locationSecret().getMetadata().getResourceVersion());
    material.append("|tls=").append(inputs.tlsSecret().getMetadata().getResourceVersion());
    inputs
        .adminSecret()
        .or(inputs::generatedAdminSecret)
        .ifPresent(a -> material.append("|admin=").append(a.getMetadata().getResourceVersion()));
    return Sha256.hex(material.toString()).substring(0, 16);
  }

  private static Map<String, String> labels(Repository repository) {
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

  private static void note(List<String> changes, ApplyOutcome outcome, String what) {
    if (outcome != ApplyOutcome.UNCHANGED) {
      changes.add(what + " " + outcome.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
