package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.secret.SecretValue;
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
import org.junit.jupiter.api.Test;

/**
 * A certificate renewal reaches the files export-client wrote, on a real API server: the record
 * ConfigMap names the target, the operator writes it again with the new fingerprint once, and a
 * target whose pod is gone leaves the record. The exec transport is replaced by a recorder (no
 * kubelet here; RotationsE2E does it by real exec on the real node).
 */
@RealKubernetes
class RecordedExportsIT {
  private record Written(PodTarget target, String path, String content) {}

  @Test
  void renewedCertificateIsWrittenAgainIntoRecordedTargetsOnly(TestNamespace ns) {
    KubernetesClient client = ns.client();
    String namespace = ns.name();
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .create();
    TestWorkloads.runningPod(client, namespace, "mover", Map.of(), "default", "kopia");
    Repository repository = repository(namespace, "ab".repeat(32));
    ExportRecord.remember(
        client,
        repository,
        new ExportRecord.Entry(
            "mysql@" + namespace + ".mysql",
            namespace,
            "mover",
            "kopia",
            "/tmp/kopia-client",
            "ab".repeat(32)));
    List<Written> written = new ArrayList<>();
    WorkloadReexport reexport =
        new WorkloadReexport(
            client,
            new ClientExporter(
                (target, path, content) ->
                    written.add(
                        new Written(target, path, new String(content, StandardCharsets.UTF_8)))));

    // Same certificate: nothing to write.
    assertThat(
            reexport.followRecordedExports(repository, (r, u) -> Optional.of(SecretValue.of("pw"))))
        .isZero();

    String renewed = "cd".repeat(32);
    repository.getStatus().getServer().setCertificateFingerprint(renewed);
    assertThat(
            reexport.followRecordedExports(repository, (r, u) -> Optional.of(SecretValue.of("pw"))))
        .isEqualTo(1);
    assertThat(written)
        .extracting(w -> w.target().pod() + ":" + w.path())
        .containsExactlyInAnyOrder(
            "mover:/tmp/kopia-client/repository.config", "mover:/tmp/kopia-client/password");
    assertThat(written)
        .filteredOn(w -> w.path().endsWith("repository.config"))
        .allMatch(w -> w.content().contains(renewed));
    assertThat(ExportRecord.read(client, repository))
        .singleElement()
        .satisfies(e -> assertThat(e.fingerprint()).isEqualTo(renewed));
    System.out.printf(
        "[figures] renewal followed into %d export-client target(s), %d files%n",
        1, written.size());

    // Once written, the next pass writes nothing.
    written.clear();
    assertThat(
            reexport.followRecordedExports(repository, (r, u) -> Optional.of(SecretValue.of("pw"))))
        .isZero();

    // The pod is gone: the next renewal drops its line and writes nothing.
    client.pods().inNamespace(namespace).withName("mover").withGracePeriod(0).delete();
    repository.getStatus().getServer().setCertificateFingerprint("ef".repeat(32));
    assertThat(
            reexport.followRecordedExports(repository, (r, u) -> Optional.of(SecretValue.of("pw"))))
        .isZero();
    assertThat(ExportRecord.read(client, repository)).isEmpty();
    assertThat(written).isEmpty();
    // The record holds no secret value.
    assertThat(
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(ExportRecord.name(repository))
                .get()
                .getData()
                .toString())
        .doesNotContain("pw");
  }

  private static Repository repository(String namespace, String fingerprint) {
    Repository repository = new Repository();
    repository.getMetadata().setName("repo");
    repository.getMetadata().setUid("0b6a4f0e-uid-repo");
    repository.getMetadata().setNamespace(namespace);
    RepositoryStatus status = new RepositoryStatus();
    status.setServer(
        new ServerStatus("repo-apps", "https://repo-apps.kanister.svc:51515", fingerprint));
    repository.setStatus(status);
    return repository;
  }
}
