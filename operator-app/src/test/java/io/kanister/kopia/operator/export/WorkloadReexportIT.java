package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.secret.SecretValue;
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
    mysqlWithThreePods(client, namespace);

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
    AtomicReference<SecretValue> token = new AtomicReference<>(SecretValue.of("token-one"));

    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get())))
        .isEqualTo(2);
    assertThat(written).extracting(w -> w.target().pod()).containsOnly("mysql-0", "mysql-1");
    assertThat(written)
        .filteredOn(w -> w.target().pod().equals("mysql-0"))
        .extracting(Written::path)
        .as("the password first: a reader that finds the config finds its password")
        .containsExactly(
            "/run/kopia-client/repo/password", "/run/kopia-client/repo/repository.config");
    assertThat(written)
        .filteredOn(w -> w.path().endsWith("password"))
        .extracting(Written::content)
        .containsOnly("token-one");

    written.clear();
    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get()))).isZero();
    assertThat(written).isEmpty();

    token.set(SecretValue.of("token-two"));
    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get())))
        .isEqualTo(2);
    assertThat(written)
        .filteredOn(w -> w.path().endsWith("password"))
        .extracting(Written::content)
        .containsOnly("token-two");

    // A renewed server certificate: the same token, a new fingerprint, written again.
    written.clear();
    String renewed = "cd".repeat(32);
    repository.getStatus().getServer().setCertificateFingerprint(renewed);
    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get())))
        .as("pods written after the certificate renewal")
        .isEqualTo(2);
    assertThat(written)
        .filteredOn(w -> w.path().endsWith("repository.config"))
        .extracting(Written::content)
        .allMatch(config -> config.contains(renewed));
    System.out.printf(
        "[figures] certificate renewal: %d files re-exported into 2 pods%n", written.size());

    // A second Repository serving the same workload writes its own folder: nothing overwritten.
    written.clear();
    Repository second = repository("repo-b");
    assertThat(reexport.reexport(second, users, (r, u) -> Optional.of(SecretValue.of("token-b"))))
        .isEqualTo(2);
    assertThat(written)
        .extracting(Written::path)
        .allMatch(path -> path.startsWith("/run/kopia-client/repo-b/"))
        .contains(
            "/run/kopia-client/repo-b/repository.config", "/run/kopia-client/repo-b/password");
    written.clear();
    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(token.get())))
        .as("the first Repository's files stay current beside the second's")
        .isZero();
  }

  @Test
  void aPodThatCannotBeWrittenIsNamedAndTriedAgainWhileTheOthersGetTheirFiles(TestNamespace ns) {
    KubernetesClient client = ns.client();
    String namespace = ns.name();
    mysqlWithThreePods(client, namespace);
    List<Written> written = new ArrayList<>();
    AtomicReference<String> refusing = new AtomicReference<>("mysql-1");
    WorkloadReexport reexport =
        new WorkloadReexport(
            client,
            new ClientExporter(
                (target, path, content) -> {
                  if (target.pod().equals(refusing.get())) {
                    throw new IllegalStateException("container mysql is not running");
                  }
                  written.add(new Written(target, path, "written"));
                }));
    Repository repository = repository();
    KopiaUsername user = KopiaUsername.of("mysql-sa@" + namespace + ".mysql");
    var users = List.of(new WorkloadReexport.DynamicUser("StatefulSet", namespace, "mysql", user));

    assertThatThrownBy(
            () -> reexport.reexport(repository, users, (r, u) -> Optional.of(SecretValue.of("t"))))
        .isInstanceOf(PodExportFailures.StaleClientFiles.class)
        .hasMessageContaining("1 pod(s) kept stale client files")
        .hasMessageContaining("into pod " + namespace + "/mysql-1")
        .hasMessageContaining("container mysql is not running");
    assertThat(written).extracting(w -> w.target().pod()).containsOnly("mysql-0");

    written.clear();
    refusing.set(null);
    assertThat(reexport.reexport(repository, users, (r, u) -> Optional.of(SecretValue.of("t"))))
        .as("only the pod that failed is written on the next pass")
        .isEqualTo(1);
    assertThat(written).extracting(w -> w.target().pod()).containsOnly("mysql-1");
  }

  @Test
  void aDynamicUserWithoutTheExportAnnotationIsNamedAsUnusable(TestNamespace ns) {
    KubernetesClient client = ns.client();
    String namespace = ns.name();
    client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .resource(
            TestWorkloads.statefulSet(
                namespace,
                "plain",
                "plain-sa",
                Map.of("repo.kanister.io/authn-mode", "service-account"),
                Map.of()))
        .create();
    client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .resource(
            TestWorkloads.statefulSet(
                namespace,
                "exported",
                "exported-sa",
                Map.of("repo.kanister.io/authn-mode", "service-account"),
                Map.of(WorkloadReexport.PATH_ANNOTATION, "/run/kopia-client")))
        .create();
    WorkloadReexport reexport =
        new WorkloadReexport(client, new ClientExporter((target, path, content) -> {}));
    var users =
        List.of(
            new WorkloadReexport.DynamicUser(
                "StatefulSet",
                namespace,
                "plain",
                KopiaUsername.of("plain-sa@" + namespace + ".plain")),
            new WorkloadReexport.DynamicUser(
                "StatefulSet",
                namespace,
                "exported",
                KopiaUsername.of("exported-sa@" + namespace + ".exported")));

    var undelivered = reexport.withoutExportPath(users);

    assertThat(undelivered)
        .extracting(WorkloadReexport.DynamicUser::workload)
        .containsExactly("plain");
    String note = WorkloadReexport.undeliveredNote(undelivered);
    System.out.println("[figures] UsersReady note:" + note);
    assertThat(note)
        .contains("1 dynamic user(s) cannot be used")
        .contains("StatefulSet " + namespace + "/plain")
        .contains(WorkloadReexport.PATH_ANNOTATION);
    assertThat(WorkloadReexport.undeliveredNote(List.of())).isEmpty();
  }

  /** An annotated StatefulSet {@code mysql} with Running pods mysql-0, mysql-1, and one other. */
  private static void mysqlWithThreePods(KubernetesClient client, String namespace) {
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
      TestWorkloads.runningPod(
          client,
          namespace,
          name,
          Map.of("app", name.equals("other") ? "other" : "mysql"),
          "default",
          "mysql");
    }
  }

  private static Repository repository() {
    return repository("repo");
  }

  private static Repository repository(String name) {
    Repository repository = new Repository();
    repository.getMetadata().setName(name);
    repository.getMetadata().setUid("uid-" + name);
    repository.getMetadata().setNamespace("kanister");
    RepositoryStatus status = new RepositoryStatus();
    status.setServer(
        new ServerStatus("repo-apps", "https://repo-apps.kanister.svc:51515", "ab".repeat(32)));
    repository.setStatus(status);
    return repository;
  }
}
