package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.E2eSupport.awaitReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each user mistake ends in a condition whose reason and message name the Secret and the key, with
 * no stack trace and no secret value; transient storage trouble is retried with visible backoff.
 */
@RealKubernetes
@RealKopia
class RepositoryErrorsE2E {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String WRONG_PASSWORD = "definitely-the-wrong-password";

  @Test
  void userMistakesAreNamedAndTransientTroubleBacksOff(TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("work"), Duration.ofSeconds(30));

    // An existing repository the Secret's password does not open.
    Path existing = sandbox.newDir("existing");
    Kopia.open(
            new ProcessKopiaRunner(sandbox.binary()),
            KopiaWorkspace.create(sandbox.root().resolve("ws"), "creator"),
            SecretValue.of("the-real-password"))
        .ensureRepository(
            FilesystemLocation.of(existing.toString()), new ClientIdentity("e2e", "creator"));

    RepositoryFixtures.create(
        client,
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-x"),
        RepositoryFixtures.filesystemLocation(
            namespace, "wrong-password", existing.toString(), WRONG_PASSWORD),
        RepositoryFixtures.secret(
            namespace, "no-password", "Opaque", Map.of("type", "filesystem", "path", "/tmp/x")),
        RepositoryFixtures.secret(
            namespace,
            "bad-type",
            "Opaque",
            Map.of("type", "ftp", "path", "/tmp/x", "repo-password", "p")),
        RepositoryFixtures.filesystemLocation(
            namespace, "good-location", sandbox.newDir("good").toString(), "pw-123456"),
        RepositoryFixtures.secret(
            namespace,
            "broken-tls",
            "kubernetes.io/tls",
            Map.of("tls.crt", "not a certificate", "tls.key", "nor a key")),
        RepositoryFixtures.secret(
            namespace,
            "unreachable",
            "Opaque",
            Map.of(
                "type", "s3",
                "bucket", "backups",
                "endpoint", "http://127.0.0.1:1",
                "region", "us-east-1",
                "repo-password", "pw-123456",
                "access-key", "AKIAUNREACHABLE",
                "secret-access-key", "unreachable-secret-key")));

    create(client, namespace, "r-wrong-password", "a", "wrong-password", "tls");
    create(client, namespace, "r-missing-secret", "b", "does-not-exist", "tls");
    create(client, namespace, "r-missing-key", "c", "no-password", "tls");
    create(client, namespace, "r-bad-type", "d", "bad-type", "tls");
    create(client, namespace, "r-bad-tls", "e", "good-location", "broken-tls");
    create(client, namespace, "r-unreachable", "f", "unreachable", "tls");
    // A user's own Secret happens to have the name the server config would get: never taken over.
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.secret(
            namespace, "repo-g-config", "Opaque", Map.of("mine", "do-not-touch")));
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.filesystemLocation(
            namespace, "g-location", sandbox.newDir("g").toString(), "pw-123456"));
    create(client, namespace, "r-name-conflict", "g", "g-location", "tls");

    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"))) {
      Condition wrongPassword =
          awaitReason(
              client, namespace, "r-wrong-password", "RepositoryReady", "InvalidPassword", SETTLE);
      assertThat(wrongPassword.getMessage())
          .contains("Secret " + namespace + "/wrong-password (key repo-password)")
          .contains("nothing was changed");

      assertThat(
              awaitReason(
                      client,
                      namespace,
                      "r-missing-secret",
                      "RepositoryReady",
                      "SecretNotFound",
                      SETTLE)
                  .getMessage())
          .contains("Secret " + namespace + "/does-not-exist")
          .contains("spec.location.secretName");
      assertThat(
              awaitReason(
                      client,
                      namespace,
                      "r-missing-key",
                      "RepositoryReady",
                      "InvalidSecret",
                      SETTLE)
                  .getMessage())
          .contains(namespace + "/no-password")
          .contains("repo-password");
      assertThat(
              awaitReason(
                      client, namespace, "r-bad-type", "RepositoryReady", "InvalidSecret", SETTLE)
                  .getMessage())
          .contains(namespace + "/bad-type")
          .contains("type");
      assertThat(
              awaitReason(
                      client, namespace, "r-bad-tls", "RepositoryReady", "InvalidSecret", SETTLE)
                  .getMessage())
          .contains(namespace + "/broken-tls")
          .contains("tls.crt");
      Condition conflict =
          awaitReason(client, namespace, "r-name-conflict", "ServerReady", "NameConflict", SETTLE);
      assertThat(conflict.getMessage())
          .contains(
              "Secret "
                  + namespace
                  + "/repo-g-config already exists and is not owned by Repository");
      var mine = client.secrets().inNamespace(namespace).withName("repo-g-config").get();
      assertThat(mine.getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(mine.getData()).containsOnlyKeys("mine");

      Condition unreachable =
          awaitReason(
              client, namespace, "r-unreachable", "RepositoryReady", "StorageUnreachable", SETTLE);
      System.out.println("[figures] unreachable storage message: " + unreachable.getMessage());

      // Backoff is visible: the queue counts retries and the Warning Event's count grows, while
      // the failing key is not retried in a tight loop.
      Counter retries =
          operator.operator().runtime().meterRegistry().find("workqueue.retries").counter();
      await().atMost(SETTLE).until(() -> retries != null && retries.count() >= 2);
      await()
          .atMost(SETTLE)
          .until(() -> eventCount(client, namespace, "r-unreachable", "StorageUnreachable") >= 2);
      System.out.printf(
          "[figures] workqueue retries %.0f; StorageUnreachable event count %d%n",
          retries.count(), eventCount(client, namespace, "r-unreachable", "StorageUnreachable"));

      for (String name :
          List.of(
              "r-wrong-password",
              "r-missing-secret",
              "r-missing-key",
              "r-bad-type",
              "r-bad-tls",
              "r-unreachable")) {
        for (Condition condition :
            E2eSupport.get(client, namespace, name).getStatus().getConditions()) {
          assertThat(condition.getMessage())
              .as(name + " " + condition.getType())
              .doesNotContain(WRONG_PASSWORD)
              .doesNotContain("the-real-password")
              .doesNotContain("unreachable-secret-key")
              .doesNotContain("Exception")
              .doesNotContain("\tat ");
        }
      }
      for (Event event : client.v1().events().inNamespace(namespace).list().getItems()) {
        assertThat(event.getMessage())
            .doesNotContain(WRONG_PASSWORD)
            .doesNotContain("unreachable-secret-key");
      }
    }
  }

  private static void create(
      KubernetesClient client,
      String namespace,
      String name,
      String target,
      String location,
      String tls) {
    client
        .resource(RepositoryFixtures.repository(namespace, name, target, location, "admin", tls))
        .create();
  }

  private static int eventCount(
      KubernetesClient client, String namespace, String object, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> object.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }
}
