package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The users record is watched: with the resync 10 minutes away and the operator quiet (no kopia for
 * a while, so no pass is running or due), deleting a Repository's record ConfigMap gets it written
 * again, users and all, within seconds.
 */
@RealKopia
@RealKubernetes
class UsersRecordWatchE2E {
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static final Duration QUIET = Duration.ofSeconds(5);

  @Test
  void aDeletedUsersRecordIsWrittenAgainWithoutWaitingForTheResync(
      TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    Repository repository =
        RepositoryFixtures.servedWithAccess(
            ns,
            sandbox.newDir("repository"),
            Map.of("mysql-blue", "username: mysql\npassword: record-watch-password\n"));
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("work"), Duration.ofMinutes(10));
    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"))) {
      client.resource(repository).create();
      E2eSupport.awaitCondition(client, namespace, "repo", "UsersReady", "True", SETTLE);
      Resource<ConfigMap> record =
          client.configMaps().inNamespace(namespace).withName("repo-kopia-users");
      String users = record.get().getData().get("users");
      assertThat(users).contains("mysql@");
      String uid = record.get().getMetadata().getUid();

      // Quiet: the passes that follow creation (maintenance, the server's start) are over.
      await()
          .atMost(SETTLE)
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                int mark = operator.kopia().mark();
                Thread.sleep(QUIET.toMillis());
                return operator.kopia().since(mark).isEmpty();
              });

      long deleted = System.nanoTime();
      record.delete();
      ConfigMap again =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  record::get,
                  c ->
                      c != null
                          && !c.getMetadata().getUid().equals(uid)
                          && c.getData() != null
                          && users.equals(c.getData().get("users")));
      System.out.printf(
          "[figures] users record deleted under a quiet operator (resync 10 min): written again"
              + " %d ms later, with its %d user line(s)%n",
          Duration.ofNanos(System.nanoTime() - deleted).toMillis(), users.lines().count());
      assertThat(again.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo("repo"));
      assertThat(
              E2eSupport.condition(E2eSupport.get(client, namespace, "repo"), "UsersReady")
                  .orElseThrow()
                  .getStatus())
          .isEqualTo("True");
    }
  }
}
