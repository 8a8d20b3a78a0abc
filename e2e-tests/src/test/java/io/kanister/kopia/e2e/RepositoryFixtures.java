package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Secrets and Repositories shaped like the seed's examples, for the end-to-end tests. */
final class RepositoryFixtures {
  static final String REPO_PASSWORD = "e2e-repository-password";
  static final String UI_PASSWORD = "e2e-ui-password";
  static final String CONTROL_PASSWORD = "e2e-control-password";

  private RepositoryFixtures() {}

  static Secret filesystemLocation(String namespace, String name, String path, String password) {
    return secret(
        namespace,
        name,
        "Opaque",
        Map.of("type", "filesystem", "path", path, "repo-password", password));
  }

  static Secret s3Location(String namespace, String name, S3Bucket bucket, String prefix) {
    return secret(
        namespace,
        name,
        "Opaque",
        Map.of(
            "type", "s3",
            "bucket", bucket.bucket(),
            "endpoint", bucket.endpoint(),
            "prefix", prefix,
            "region", bucket.region(),
            "repo-password", REPO_PASSWORD,
            "access-key", bucket.accessKey(),
            "secret-access-key", bucket.secretKey()));
  }

  static Secret admin(String namespace, String name) {
    return secret(
        namespace,
        name,
        "Opaque",
        Map.of("username", "admin", "password", UI_PASSWORD, "control-password", CONTROL_PASSWORD));
  }

  /** A serving certificate for the server's Service name, signed by the test CA. */
  static Secret tls(String namespace, String name, TestPki pki, String serviceName) {
    TestPki.Issued issued =
        pki.issueServer(
            serviceName,
            List.of(serviceName + "." + namespace + ".svc", serviceName, "localhost"),
            List.of("127.0.0.1"));
    return secret(
        namespace,
        name,
        "kubernetes.io/tls",
        Map.of("tls.crt", issued.certPem(), "tls.key", issued.keyPem()));
  }

  static Repository repository(
      String namespace, String name, String target, String location, String admin, String tls) {
    Repository repository = new Repository();
    repository.getMetadata().setName(name);
    repository.getMetadata().setNamespace(namespace);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(target);
    LocationSpec locationSpec = new LocationSpec();
    locationSpec.setSecretName(location);
    spec.setLocation(locationSpec);
    ServerSpec server = new ServerSpec();
    server.setAdminSecretName(admin);
    server.setTlsSecretName(tls);
    spec.setServer(server);
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setKeepLatest(10);
    policy.setKeepDaily(14);
    policy.setSnapshotTime(List.of("00:00", "06:00"));
    spec.setPolicy(policy);
    repository.setSpec(spec);
    return repository;
  }

  /**
   * The users scenarios' preamble: namespace {@code <ns>-apps} to serve, and in {@code ns} a
   * filesystem location at {@code repoPath}, the admin and TLS Secrets and an access Secret {@code
   * access} holding {@code access}, all created. Returns Repository {@code repo} serving that
   * namespace with the access Secret, not created yet.
   */
  static Repository servedWithAccess(TestNamespace ns, Path repoPath, Map<String, String> access) {
    KubernetesClient client = ns.client();
    String namespace = ns.name();
    String target = namespace + "-apps";
    E2eSupport.createNamespace(client, target);
    create(
        client,
        filesystemLocation(namespace, "location", repoPath.toString(), REPO_PASSWORD),
        admin(namespace, "admin"),
        tls(namespace, "tls", ns.cluster().pki(), "repo-" + target),
        secret(namespace, "access", "Opaque", access));
    Repository repository = repository(namespace, "repo", target, "location", "admin", "tls");
    repository.getSpec().getServer().setAccessSecretNames(List.of("access"));
    return repository;
  }

  static Secret secret(String namespace, String name, String type, Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withType(type)
        .withStringData(data)
        .build();
  }

  static void create(KubernetesClient client, Secret... secrets) {
    for (Secret secret : secrets) {
      client.resource(secret).create();
    }
  }
}
