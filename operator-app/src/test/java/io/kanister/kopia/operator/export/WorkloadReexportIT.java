package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.secret.Secret;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.ServerStatus;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Re-export after rotation, on a real API server: the annotated StatefulSet's running pods get the
 * client files with the current token, once; a new token is written again. There is no kubelet, so
 * the pods are API objects marked Running, and the exec transport (tested against the mock server
 * in {@code ExecPodFileWriterTest}) is replaced by a recorder of what would be written.
 */
@RealKubernetes
class WorkloadReexportIT {
  private record Written(PodTarget target, String path, String content) {}

  @Test
  void writesCurrentTokenIntoRunningPodsOnceAndAgainAfterRotation(TestNamespace ns) {
    KubernetesClient client = ns.client();
    String namespace = ns.name();
    client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .resource(
            TestWorkloads.statefulSet(
                namespace,
                "mysql",
                "mysql-sa",
                Map.of("repo.kanister.io/authn-mode", "service-account"),
                Map.of(WorkloadReexport.PATH_ANNOTATION, "/run/kopia-client")))
        .create();
    // No controller manager creates the namespace's default ServiceAccount; pods need one.
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("default")
                .endMetadata()
                .build())
        .create();
    for (String name : List.of("mysql-0", "mysql-1", "other")) {
      var pod =
          client
              .pods()
              .inNamespace(namespace)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName(name)
                      .addToLabels("app", name.equals("other") ? "other" : "mysql")
                      .endMetadata()
                      .withNewSpec()
                      .addNewContainer()
                      .withName("mysql")
                      .withImage("mysql:8")
                      .endContainer()
                      .endSpec()
                      .build())
              .create();
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
      client.pods().inNamespace(namespace).resource(pod).updateStatus();
    }

    List<Written> written = new ArrayList<>();
    WorkloadReexport reexport =
        new WorkloadReexport(
            client,
            new ClientExporter(
                (target, path, content) ->
                    written.add(
                        new Written(target, path, new String(content, StandardCharsets.UTF_8)))));
    Repository repository = repository();
    KopiaUsername user = KopiaUsername.of("mysql-sa@" + namespace + ".mysql");
    var users = List.of(new WorkloadReexport.DynamicUser("StatefulSet", namespace, "mysql", user));
    AtomicReference<Secret> token = new AtomicReference<>(Secret.of("token-one"));

    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get())))
        .isEqualTo(2);
    assertThat(written).extracting(w -> w.target().pod()).containsOnly("mysql-0", "mysql-1");
    assertThat(written)
        .extracting(Written::path)
        .contains("/run/kopia-client/repository.config", "/run/kopia-client/password");
    assertThat(written)
        .filteredOn(w -> w.path().endsWith("password"))
        .extracting(Written::content)
        .containsOnly("token-one");

    written.clear();
    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get()))).isZero();
    assertThat(written).isEmpty();

    token.set(Secret.of("token-two"));
    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get())))
        .isEqualTo(2);
    assertThat(written)
        .filteredOn(w -> w.path().endsWith("password"))
        .extracting(Written::content)
        .containsOnly("token-two");
  }

  private static Repository repository() {
    Repository repository = new Repository();
    repository.getMetadata().setName("repo");
    repository.getMetadata().setNamespace("kanister");
    RepositoryStatus status = new RepositoryStatus();
    status.setServer(
        new ServerStatus("repo-apps", "https://repo-apps.kanister.svc:51515", "ab".repeat(32)));
    repository.setStatus(status);
    return repository;
  }
}
