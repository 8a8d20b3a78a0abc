package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.E2eSupport.awaitCondition;
import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the operator holds, on the real parts: its workload caches hold opted-in workloads only (the
 * API server selects them), and a deleted Repository leaves nothing in its per-Repository memory.
 */
@RealKubernetes
@RealKopia
class OperatorMemoryE2E {
  private static final Duration READY = Duration.ofSeconds(120);

  @Test
  void cachesHoldOptedInWorkloadsOnlyAndADeletedRepositoryIsForgotten(
      TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    String target = namespace + "-apps";
    E2eSupport.createNamespace(client, target);
    client
        .resource(
            TestWorkloads.statefulSet(
                target,
                "labelled",
                "default",
                Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT),
                Map.of()))
        .create();
    client
        .resource(TestWorkloads.statefulSet(target, "unlabelled", "default", Map.of(), Map.of()))
        .create();
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.filesystemLocation(
            namespace, "memory-location", sandbox.newDir("repository").toString(), REPO_PASSWORD),
        RepositoryFixtures.admin(namespace, "memory-admin"),
        RepositoryFixtures.tls(namespace, "memory-tls", ns.cluster().pki(), "repo-" + target));
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("operator-work"), Duration.ofSeconds(5));
    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"))) {
      client
          .resource(
              RepositoryFixtures.repository(
                  namespace, "memory", target, "memory-location", "memory-admin", "memory-tls"))
          .create();
      awaitCondition(client, namespace, "memory", "RepositoryReady", "True", READY);
      awaitCondition(client, namespace, "memory", "ServerReady", "True", READY);

      List<InformerCache<?>> statefulSetCaches =
          operator.operator().runtime().informers().snapshot().stream()
              .filter(c -> c.type().equals(StatefulSet.class))
              .toList();
      assertThat(statefulSetCaches).isNotEmpty();
      assertThat(statefulSetCaches)
          .allSatisfy(cache -> assertThat(cache.get(target, "unlabelled")).isEmpty());
      assertThat(statefulSetCaches)
          .anySatisfy(cache -> assertThat(cache.get(target, "labelled")).isPresent());

      var memory = operator.operator().memory();
      assertThat(memory.sizes())
          .containsKeys(
              "access users",
              "client exports",
              "maintenance schedules",
              "kopia last synced",
              "hung-server clocks");
      assertThat(memory.sizes().get("kopia last synced")).isEqualTo(1);
      assertThat(memory.total()).isPositive();

      client.resources(Repository.class).inNamespace(namespace).withName("memory").delete();
      await()
          .atMost(READY)
          .until(
              () ->
                  client.resources(Repository.class).inNamespace(namespace).withName("memory").get()
                      == null);
      assertThat(memory.sizes()).allSatisfy((holder, size) -> assertThat(size).isZero());
    } finally {
      client.namespaces().withName(target).delete();
    }
  }
}
