package io.kanister.kopia.operator.repository;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.testsupport.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The objects the whole-operator fault scenarios start from: a namespace, Secrets, Repositories.
 */
final class FaultFixtures {
  private FaultFixtures() {}

  static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** A filesystem location Secret and a TLS Secret for {@code app}, then Repository {@code app}. */
  static Repository repository(
      KubernetesClient client, String namespace, String app, Path storage, String password) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(app + "-location")
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "type",
                        "filesystem",
                        "path",
                        storage.toString(),
                        "repo-password",
                        password))
                .build())
        .create();
    String service = "repo-" + app;
    TestPki.Issued issued =
        TestPki.newCa("faults-" + app)
            .issueServer(service, List.of(service + "." + namespace + ".svc"), List.of());
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(app + "-tls")
                .withNamespace(namespace)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(Map.of("tls.crt", issued.certPem(), "tls.key", issued.keyPem()))
                .build())
        .create();
    Repository repository = new Repository();
    repository.getMetadata().setName(app);
    repository.getMetadata().setNamespace(namespace);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(app);
    LocationSpec location = new LocationSpec();
    location.setSecretName(app + "-location");
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    server.setTlsSecretName(app + "-tls");
    spec.setServer(server);
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setKeepLatest(10);
    spec.setPolicy(policy);
    repository.setSpec(spec);
    return client.resource(repository).create();
  }

  /** Sets {@code spec.policy.keepLatest}: a spec edit the operator applies with a policy set. */
  static void keepLatest(KubernetesClient client, String namespace, String name, int keep) {
    client
        .resources(Repository.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            r -> {
              r.getSpec().getPolicy().setKeepLatest(keep);
              return r;
            });
  }
}
