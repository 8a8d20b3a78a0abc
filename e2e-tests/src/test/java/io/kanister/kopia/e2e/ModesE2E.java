package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.E2eSupport.awaitCondition;
import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.WebhookRegistration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Global and namespace modes end to end: the singleton, the webhook enforcing the mode (called by
 * the real kube-apiserver), the mode-switch guardrail (a real operator process exiting non-zero),
 * and two Repositories serving one namespace from different storage.
 */
@RealKubernetes
@RealKopia
@RealS3
class ModesE2E {
  private static final Duration READY = Duration.ofSeconds(120);

  @Test
  void globalModeSingletonWebhookAndGuardrail(TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.filesystemLocation(
            namespace, "repository-global", sandbox.newDir("global").toString(), REPO_PASSWORD));
    // No TLS Secret: the operator issues the singleton's serving certificate.
    // The operator's own ServiceAccount: global mode's one shared access credential comes from it.
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("kopia-operator")
                .endMetadata()
                .build())
        .create();
    OperatorOptions options =
        LocalOperator.options(
            namespace,
            RepositoryScope.GLOBAL,
            sandbox.binary(),
            sandbox.newDir("work"),
            Duration.ofSeconds(30),
            LocalWebhook.flags(ns, sandbox));

    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"));
        WebhookRegistration ignored = LocalWebhook.register(ns, options, "kopia-operator-e2e")) {
      awaitCondition(client, namespace, Repository.GLOBAL_NAME, "RepositoryReady", "True", READY);
      awaitCondition(client, namespace, Repository.GLOBAL_NAME, "ServerReady", "True", READY);
      Repository singleton = E2eSupport.get(client, namespace, Repository.GLOBAL_NAME);
      assertThat(singleton.getSpec().getTargetNamespace()).isNull();
      assertThat(singleton.getStatus().getServer().getServiceName()).isEqualTo("repo-global");
      awaitCondition(client, namespace, Repository.GLOBAL_NAME, "UsersReady", "True", READY);
      assertThat(
              E2eSupport.get(client, namespace, Repository.GLOBAL_NAME)
                  .getStatus()
                  .getUsers()
                  .getRegistered())
          .as("the shared credential from the operator's ServiceAccount")
          .isEqualTo(1);

      Repository second =
          RepositoryFixtures.repository(
              namespace,
              "repository-monitoring",
              "monitoring",
              "repository-global",
              null,
              "repository-global-server-tls");
      String denial = awaitDenied(client, second);
      System.out.println("[figures] global mode, second Repository: " + denial);
      assertThat(denial).contains("denied the request").contains("global mode");
    }

    // The same cluster, now asked for namespace mode while repository-global exists: a real
    // operator process refuses to start.
    Path kubeconfig = ns.cluster().writeKubeconfig(sandbox.root().resolve("kubeconfig"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "io.kanister.kopia.operator.OperatorMain"));
    command.addAll(
        List.of(
            "--repository-scope=namespace",
            "--operator-namespace=" + namespace,
            "--kopia-binary=" + sandbox.binary(),
            "--webhook=false",
            "--leader-elect=false",
            "--health-bind-address=127.0.0.1",
            "--health-port=" + BackgroundProcess.freePort()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println("[figures] guardrail exit " + process.exitValue() + ": " + stderr.strip());
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(stderr)
        .contains("refusing to start in namespace mode")
        .contains("migration between modes is not supported");
  }

  @Test
  void namespaceModeTwoRepositoriesForOneNamespaceAndWebhookRules(
      TestNamespace ns, KopiaSandbox sandbox, S3Bucket bucket) throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.filesystemLocation(
            namespace, "shop-fs", sandbox.newDir("shop").toString(), REPO_PASSWORD),
        RepositoryFixtures.s3Location(namespace, "shop-s3", bucket, "shop/"),
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-shop"));
    OperatorOptions options =
        LocalOperator.options(
            namespace,
            RepositoryScope.NAMESPACE,
            sandbox.binary(),
            sandbox.newDir("work"),
            Duration.ofSeconds(30),
            LocalWebhook.flags(ns, sandbox));

    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"));
        WebhookRegistration ignored = LocalWebhook.register(ns, options, "kopia-operator-e2e")) {
      String denial =
          awaitDenied(
              client,
              RepositoryFixtures.repository(
                  namespace, "no-target", null, "shop-fs", "admin", "tls"));
      System.out.println("[figures] namespace mode, no target: " + denial);
      assertThat(denial).contains("spec.targetNamespace").contains("namespace mode");

      client
          .resource(
              RepositoryFixtures.repository(
                  namespace, "shop-primary", "shop", "shop-fs", "admin", "tls"))
          .create();
      client
          .resource(
              RepositoryFixtures.repository(
                  namespace, "shop-offsite", "shop", "shop-s3", "admin", "tls"))
          .create();
      for (String name : List.of("shop-primary", "shop-offsite")) {
        awaitCondition(client, namespace, name, "RepositoryReady", "True", READY);
        awaitCondition(client, namespace, name, "ServerReady", "True", READY);
      }
      String primary =
          E2eSupport.get(client, namespace, "shop-primary")
              .getStatus()
              .getServer()
              .getServiceName();
      String offsite =
          E2eSupport.get(client, namespace, "shop-offsite")
              .getStatus()
              .getServer()
              .getServiceName();
      // One keeps the seed's plain name (the older; on a tie, the smaller name), the other a
      // suffix.
      assertThat(List.of(primary, offsite)).contains("repo-shop");
      assertThat(primary.equals("repo-shop") ? offsite : primary).startsWith("repo-shop-");

      assertThatThrownBy(
              () ->
                  client
                      .resources(Repository.class)
                      .inNamespace(namespace)
                      .withName("shop-offsite")
                      .edit(
                          r -> {
                            r.getSpec().setTargetNamespace("elsewhere");
                            return r;
                          }))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec.targetNamespace is immutable");
    }
  }

  /** The API server applies a new webhook configuration asynchronously: retry until it denies. */
  private static String awaitDenied(KubernetesClient client, Repository repository) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              try {
                client.resource(repository).dryRun().create();
                return null;
              } catch (KubernetesClientException e) {
                return e.getMessage();
              }
            },
            message -> message != null && message.contains("denied the request"));
  }
}
