package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.core.config.RepositoryConfigFile;
import io.kanister.kopia.core.storage.GcsLocation;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.model.secret.RepositoryLocation;
import io.kanister.kopia.model.secret.ServerAdminCredentials;
import io.kanister.kopia.model.secret.ServerTls;
import io.kanister.kopia.operator.server.KopiaServerDeployment;
import io.kanister.kopia.operator.server.ServerPlan;
import io.kanister.kopia.operator.server.ServerSettings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The server model offline: every field of the generated objects that matters, no API server. */
class ServerModelTest {
  private static final String REPO_PASSWORD = "repo-password-value-1";
  private static final String ACCESS_KEY = "AKIAEXAMPLEACCESS";
  private static final String SECRET_KEY = "secret-access-key-value";
  private static final String GCS_KEY = "{\"type\":\"service_account\",\"private_key\":\"k-1\"}";
  private static final String ADMIN_PASSWORD = "admin-password-value";
  private static final ResourceRequirements RESOURCES =
      new ResourceRequirementsBuilder()
          .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
          .withLimits(Map.of("memory", new Quantity("1Gi")))
          .build();
  private static final ServerSettings SETTINGS =
      new ServerSettings("kopia/kopia:0.23.1", 51515, RESOURCES);

  private final Repository repository = repository("monitoring", null);

  @Test
  void theDeploymentRunsOneNonRootReadOnlyServerRecreatedOnChange() {
    Deployment deployment = model(s3(), Optional.empty()).deployment();

    assertThat(deployment.getMetadata().getName()).isEqualTo("repo-monitoring");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("kanister");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container server = container(deployment);
    assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(server.getImage()).isEqualTo("kopia/kopia:0.23.1");
    assertThat(server.getResources()).isEqualTo(RESOURCES);
  }

  @Test
  void readinessIsTcpOnTheServerPortBecauseProbesCannotCarrySecrets() {
    Container server = container(model(s3(), Optional.empty()).deployment());

    assertThat(server.getPorts())
        .satisfiesExactly(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(51515);
              assertThat(p.getName()).isEqualTo("kopia");
            },
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(51516);
              assertThat(p.getName()).isEqualTo("metrics");
            });
    var readiness = server.getReadinessProbe();
    assertThat(readiness.getHttpGet()).isNull();
    assertThat(readiness.getExec()).isNull();
    assertThat(readiness.getTcpSocket().getPort().getIntVal()).isEqualTo(51515);
    assertThat(readiness.getInitialDelaySeconds()).isEqualTo(1);
    assertThat(readiness.getPeriodSeconds()).isEqualTo(2);
  }

  @Test
  void livenessAsksKopiasUnauthenticatedMetricsPageWhichAFrozenServerDoesNotAnswer() {
    Container server = container(model(s3(), Optional.empty()).deployment());

    assertThat(server.getArgs()).contains("--metrics-listen-addr=:51516");
    var liveness = server.getLivenessProbe();
    assertThat(liveness.getTcpSocket()).isNull();
    assertThat(liveness.getExec()).isNull();
    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/metrics");
    assertThat(liveness.getHttpGet().getPort().getIntVal()).isEqualTo(51516);
    assertThat(liveness.getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(liveness.getHttpGet().getHttpHeaders()).isNullOrEmpty();
    // A frozen server is killed 15-24 s after the freeze, then 10 s of grace instead of 30 s.
    assertThat(liveness.getPeriodSeconds()).isEqualTo(5);
    assertThat(liveness.getTimeoutSeconds()).isEqualTo(4);
    assertThat(liveness.getFailureThreshold()).isEqualTo(4);
    assertThat(liveness.getTerminationGracePeriodSeconds()).isEqualTo(10L);
    assertThat(liveness.getInitialDelaySeconds()).isEqualTo(10);
  }

  @Test
  void aServerOnTheMetricsPortMovesTheMetricsListenerOneUp() {
    ServerSettings onMetricsPort = new ServerSettings("kopia/kopia:0.23.1", 51516, RESOURCES);
    Container server =
        container(
            ServerModel.of(
                    repository, inputs(s3(), Optional.empty()), "repo-monitoring", onMetricsPort)
                .deployment());

    assertThat(server.getArgs())
        .contains("--address=0.0.0.0:51516", "--metrics-listen-addr=:51517");
    assertThat(server.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(51517);
  }

  @Test
  void everyCredentialComesFromASecretKeyRefAndNeverAsAValue() {
    Container server = container(model(s3(), Optional.empty()).deployment());
    Map<String, EnvVar> env = byName(server.getEnv());

    assertRef(env.get("KOPIA_PASSWORD"), "monitoring-location", "repo-password");
    assertRef(env.get("KOPIA_SERVER_USERNAME"), "repo-monitoring-admin", "username");
    assertRef(env.get("KOPIA_SERVER_PASSWORD"), "repo-monitoring-admin", "password");
    assertRef(env.get("KOPIA_SERVER_CONTROL_USER"), "repo-monitoring-admin", "control-username");
    assertRef(
        env.get("KOPIA_SERVER_CONTROL_PASSWORD"), "repo-monitoring-admin", "control-password");
    assertThat(env.get("KOPIA_CHECK_FOR_UPDATES").getValue()).isEqualTo("false");
  }

  @Test
  void aUsersAdminSecretWithoutControlKeysFallsBackToTheDefaultsAndItsPassword() {
    Secret admin =
        secret("monitoring-admin", Map.of("username", "admin", "password", ADMIN_PASSWORD));
    Container server = container(model(s3(), Optional.of(admin)).deployment());
    Map<String, EnvVar> env = byName(server.getEnv());

    assertRef(env.get("KOPIA_SERVER_USERNAME"), "monitoring-admin", "username");
    assertRef(env.get("KOPIA_SERVER_CONTROL_PASSWORD"), "monitoring-admin", "password");
    assertThat(env.get("KOPIA_SERVER_CONTROL_USER").getValue()).isEqualTo("server-control");
    assertThat(env.get("KOPIA_SERVER_CONTROL_USER").getValueFrom()).isNull();
  }

  @Test
  void commandAndArgsCarryNoSecretValue() {
    ServerModel model = model(gcs(), Optional.empty());
    Container server = container(model.deployment());
    String commandLine =
        String.join(
            " ", Stream.concat(server.getCommand().stream(), server.getArgs().stream()).toList());

    assertThat(server.getCommand()).containsExactly("/bin/kopia");
    assertThat(server.getArgs())
        .contains(
            "server",
            "start",
            "--address=0.0.0.0:51515",
            "--config-file=/run/kopia/config/repo.config");
    for (String secret : List.of(REPO_PASSWORD, ACCESS_KEY, SECRET_KEY, GCS_KEY, ADMIN_PASSWORD)) {
      assertThat(commandLine).doesNotContain(secret);
      assertThat(server.getEnv()).noneMatch(e -> secret.equals(e.getValue()));
    }
  }

  @Test
  void volumesMountConfigTlsAndTheGcsKeyReadOnlyAndTheCacheWritable() {
    Deployment deployment = model(gcs(), Optional.empty()).deployment();
    var volumes = deployment.getSpec().getTemplate().getSpec().getVolumes();

    assertThat(volumes)
        .extracting(v -> v.getName())
        .containsExactly("config", "tls", "gcs", "cache");
    assertThat(volumes.get(0).getSecret().getSecretName()).isEqualTo("repo-monitoring-config");
    assertThat(volumes.get(1).getSecret().getSecretName()).isEqualTo("monitoring-tls");
    assertThat(volumes.get(2).getSecret().getSecretName()).isEqualTo("monitoring-location");
    assertThat(volumes.get(2).getSecret().getItems())
        .singleElement()
        .satisfies(i -> assertThat(i.getKey()).isEqualTo("credentials.json"));
    assertThat(volumes.subList(0, 3))
        .allSatisfy(v -> assertThat(v.getSecret().getDefaultMode()).isEqualTo(0400));
    assertThat(volumes.get(3).getEmptyDir()).isNotNull();
    var mounts = container(deployment).getVolumeMounts();
    assertThat(mounts)
        .filteredOn(m -> !m.getName().equals("cache"))
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(mounts)
        .extracting(m -> m.getMountPath())
        .contains("/var/cache/kopia", "/run/kopia/gcs");
  }

  @Test
  void withoutGcsThereIsNoGcsVolume() {
    var volumes =
        model(s3(), Optional.empty()).deployment().getSpec().getTemplate().getSpec().getVolumes();
    assertThat(volumes).extracting(v -> v.getName()).containsExactly("config", "tls", "cache");
  }

  @Test
  void theConfigSecretPointsKopiaAtTheMountedGcsKeyNotTheOperatorsWorkspace() {
    Secret config = model(gcs(), Optional.empty()).configSecret();
    String json =
        new String(
            Base64.getDecoder().decode(config.getData().get("repo.config")),
            StandardCharsets.UTF_8);

    assertThat(config.getMetadata().getName()).isEqualTo("repo-monitoring-config");
    assertThat(config.getType()).isEqualTo("Opaque");
    assertThat(json).contains(ServerPlan.GCS_CREDENTIALS_FILE).doesNotContain("/work/operator");
    assertThat(RepositoryConfigFile.parse(json).clientOptions().hostname())
        .isEqualTo("repo-monitoring");
  }

  @Test
  void labelsSelectTheServerAndNameItsTargetNamespace() {
    ServerModel model = model(s3(), Optional.empty());
    Deployment deployment = model.deployment();
    var selector = deployment.getSpec().getSelector().getMatchLabels();

    assertThat(selector)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name",
                "kopia-server",
                "app.kubernetes.io/instance",
                "monitoring"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(selector);
    assertThat(model.service().getSpec().getSelector()).isEqualTo(selector);
    for (HasMetadata object : List.of(deployment, model.service(), model.configSecret())) {
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "kopia-operator")
          .containsEntry("repo.kanister.io/target-namespace", "monitoring");
    }
  }

  @Test
  void globalModeHasAnEmptyTargetLabel() {
    Repository global = repository(Repository.GLOBAL_NAME, null);
    global.getSpec().setTargetNamespace(null);
    ServerModel model =
        ServerModel.of(global, inputs(s3(), Optional.empty()), "repo-global", SETTINGS);
    assertThat(model.service().getMetadata().getLabels())
        .containsEntry("repo.kanister.io/target-namespace", "");
  }

  @Test
  void everyObjectIsControlledByTheRepository() {
    ServerModel model = model(s3(), Optional.empty());
    for (HasMetadata object :
        List.of(
            model.deployment(),
            model.service(),
            model.configSecret(),
            ServerModel.generatedAdminSecret(repository, "repo-monitoring"))) {
      assertThat(OwnerReferences.isControlledBy(object, repository)).as(object.getKind()).isTrue();
      assertThat(object.getMetadata().getOwnerReferences().get(0).getBlockOwnerDeletion()).isTrue();
    }
  }

  @Test
  void theServiceExposesTheNamedPort() {
    var service = model(s3(), Optional.empty()).service();
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(51515);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("kopia");
            });
  }

  @Test
  void anEditThatChangesNoValueKeepsTheRestartHash() {
    String hash = hash(model(s3(), Optional.empty()).deployment());
    assertThat(hash).hasSize(16);

    // New resourceVersions, labels and annotations, and data instead of stringData: same values.
    Secret location = secret("monitoring-location", Map.of("repo-password", REPO_PASSWORD));
    location.getMetadata().setResourceVersion("99");
    location.getMetadata().setLabels(Map.of("team", "storage"));
    location.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied", "{}"));
    location.setData(Map.of("repo-password", base64(REPO_PASSWORD)));
    location.setStringData(null);
    Secret tls = secret("monitoring-tls", Map.of("tls.crt", "pem"));
    tls.getMetadata().setResourceVersion("42");
    RepositoryInputs relabelled =
        withSecrets(inputs(s3(), Optional.empty()), location, tls, Optional.empty());

    assertThat(
            hash(ServerModel.of(repository, relabelled, "repo-monitoring", SETTINGS).deployment()))
        .isEqualTo(hash);
  }

  @Test
  void everyRotationMovesTheRestartHash() {
    RepositoryInputs base = inputs(s3(), Optional.empty());
    String hash = hash(ServerModel.of(repository, base, "repo-monitoring", SETTINGS).deployment());
    Secret generatedAdmin = base.generatedAdminSecret().orElseThrow();

    Map<String, RepositoryInputs> rotations =
        Map.of(
            "repository password",
            withSecrets(
                base,
                secret("monitoring-location", Map.of("repo-password", "another")),
                base.tlsSecret(),
                Optional.empty()),
            "S3 access key",
            withSecrets(
                base,
                secret(
                    "monitoring-location",
                    Map.of("repo-password", REPO_PASSWORD, "access-key", "AKIANEW")),
                base.tlsSecret(),
                Optional.empty()),
            "TLS certificate",
            withSecrets(
                base,
                base.locationSecret(),
                secret("monitoring-tls", Map.of("tls.crt", "renewed pem")),
                Optional.empty()),
            "admin password",
            withGeneratedAdmin(
                base,
                secret(
                    generatedAdmin.getMetadata().getName(),
                    Map.of("username", "admin", "password", "rotated-admin"))));
    rotations.forEach(
        (what, rotated) ->
            assertThat(
                    hash(
                        ServerModel.of(repository, rotated, "repo-monitoring", SETTINGS)
                            .deployment()))
                .as(what)
                .isNotEqualTo(hash));
    // The storage keys reach the server through its repo.config: a new key moves the hash too.
    StorageLocation rotatedKey =
        S3Location.builder()
            .bucket("backups")
            .accessKeyId(io.kanister.kopia.core.secret.SecretValue.of("AKIAROTATED"))
            .secretAccessKey(io.kanister.kopia.core.secret.SecretValue.of(SECRET_KEY))
            .build();
    assertThat(hash(model(rotatedKey, Optional.empty()).deployment())).isNotEqualTo(hash);
  }

  @Test
  void theRestartHashRevealsNoValueAndIsKeyed() {
    ServerModel model = model(s3(), Optional.empty());
    String hash = hash(model.deployment());

    assertThat(model.startedPlan().inputsHash()).isEqualTo(hash);
    for (String value : List.of(REPO_PASSWORD, ACCESS_KEY, SECRET_KEY, ADMIN_PASSWORD)) {
      assertThat(hash).doesNotContain(value);
      // Not a plain digest of one low-entropy value, which could be guessed offline.
      assertThat(io.kanister.kopia.core.digest.Sha256.hex(value)).doesNotStartWith(hash);
    }
    // Keyed with the TLS private key: the same values under another key give another digest.
    RepositoryInputs base = inputs(s3(), Optional.empty());
    RepositoryInputs otherKey =
        new RepositoryInputs(
            base.locationSecret(),
            base.location(),
            base.adminSecret(),
            base.generatedAdminSecret(),
            base.admin(),
            base.tlsSecret(),
            new ServerTls(
                "pem",
                io.kanister.kopia.core.secret.SecretValue.of("another key"),
                base.tls().fingerprint()),
            base.policies());
    assertThat(hash(ServerModel.of(repository, otherKey, "repo-monitoring", SETTINGS).deployment()))
        .isNotEqualTo(hash);
  }

  private static RepositoryInputs withSecrets(
      RepositoryInputs base, Secret location, Secret tls, Optional<Secret> admin) {
    return new RepositoryInputs(
        location,
        base.location(),
        admin,
        admin.isPresent() ? Optional.empty() : base.generatedAdminSecret(),
        base.admin(),
        tls,
        base.tls(),
        base.policies());
  }

  private static RepositoryInputs withGeneratedAdmin(RepositoryInputs base, Secret generated) {
    return new RepositoryInputs(
        base.locationSecret(),
        base.location(),
        Optional.empty(),
        Optional.of(generated),
        base.admin(),
        base.tlsSecret(),
        base.tls(),
        base.policies());
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theGeneratedAdminSecretHoldsEveryKeyWithFreshPasswords() {
    Secret first = ServerModel.generatedAdminSecret(repository, "repo-monitoring");
    Secret second = ServerModel.generatedAdminSecret(repository, "repo-monitoring");

    assertThat(first.getMetadata().getName()).isEqualTo("repo-monitoring-admin");
    assertThat(first.getStringData())
        .containsKeys("username", "password", "control-username", "control-password");
    assertThat(first.getStringData().get("password")).hasSize(48);
    assertThat(first.getStringData().get("password"))
        .isNotEqualTo(second.getStringData().get("password"));
    assertThat(ServerModel.generatesAdmin(repository)).isTrue();
  }

  private static String hash(Deployment deployment) {
    return deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(KopiaServerDeployment.INPUTS_HASH_ANNOTATION);
  }

  private ServerModel model(StorageLocation storage, Optional<Secret> admin) {
    return ServerModel.of(repository, inputs(storage, admin), "repo-monitoring", SETTINGS);
  }

  private static RepositoryInputs inputs(StorageLocation storage, Optional<Secret> admin) {
    Secret generated =
        secret("repo-monitoring-admin", Map.of("username", "admin", "password", ADMIN_PASSWORD));
    return new RepositoryInputs(
        secret("monitoring-location", Map.of("repo-password", REPO_PASSWORD)),
        new RepositoryLocation(
            storage, io.kanister.kopia.core.secret.SecretValue.of(REPO_PASSWORD)),
        admin,
        admin.isPresent() ? Optional.empty() : Optional.of(generated),
        new ServerAdminCredentials(
            "admin",
            io.kanister.kopia.core.secret.SecretValue.of(ADMIN_PASSWORD),
            "server-control",
            io.kanister.kopia.core.secret.SecretValue.of(ADMIN_PASSWORD)),
        secret("monitoring-tls", Map.of("tls.crt", "pem")),
        new ServerTls(
            "pem",
            io.kanister.kopia.core.secret.SecretValue.of("key"),
            new CertificateFingerprint("a".repeat(64))),
        Map.of());
  }

  private static StorageLocation s3() {
    return S3Location.builder()
        .bucket("backups")
        .accessKeyId(io.kanister.kopia.core.secret.SecretValue.of(ACCESS_KEY))
        .secretAccessKey(io.kanister.kopia.core.secret.SecretValue.of(SECRET_KEY))
        .build();
  }

  private static StorageLocation gcs() {
    return GcsLocation.builder()
        .bucket("backups")
        .credentialsFile("/work/operator/gcs-credentials.json")
        .credentialsJson(io.kanister.kopia.core.secret.SecretValue.of(GCS_KEY))
        .build();
  }

  private static Repository repository(String name, String adminSecret) {
    Repository repository = new Repository();
    repository.getMetadata().setName(name);
    repository.getMetadata().setNamespace("kanister");
    repository.getMetadata().setUid("uid-" + name);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(name);
    LocationSpec location = new LocationSpec();
    location.setSecretName(name + "-location");
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    server.setTlsSecretName(name + "-tls");
    server.setAdminSecretName(adminSecret);
    spec.setServer(server);
    repository.setSpec(spec);
    return repository;
  }

  private static Secret secret(String name, Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("kanister")
        .withResourceVersion("1")
        .endMetadata()
        .withStringData(data)
        .build();
  }

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, EnvVar> byName(List<EnvVar> env) {
    return env.stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static void assertRef(EnvVar variable, String secret, String key) {
    assertThat(variable.getValue()).as(variable.getName()).isNull();
    assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret);
    assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
  }
}
