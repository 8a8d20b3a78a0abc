package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.status.Condition;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.Helm;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's reconcile under the RBAC the chart ships (and deploy/ is generated from), not as
 * cluster-admin: the operator acts with a TokenRequest token of its own ServiceAccount. A labelled
 * StatefulSet in the target namespace makes every step that reads workloads run.
 */
@RealKubernetes
@RealKopia
class ShippedRbacE2E {
  private static final Duration SETTLE = Duration.ofSeconds(120);

  @Test
  void repositoryWithALabelledWorkloadBecomesReadyUnderTheChartsRbac(
      TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient admin = ns.client();
    LocalOperator.installCrd(admin);
    String namespace = ns.name();
    String target = namespace + "-apps";
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(target).endMetadata().build())
        .create();
    // Cluster-scoped names carry the namespace, so tests sharing the API server never collide.
    String name = "kko-" + namespace.substring(Math.max(0, namespace.length() - 20));
    String rendered =
        Helm.require()
            .template(
                "kopia-operator",
                namespace,
                "--set",
                "fullnameOverride=" + name,
                "--set",
                "targetNamespaces={" + target + "}",
                "--show-only",
                "templates/operator/serviceaccount.yaml",
                "--show-only",
                "templates/operator/rbac.yaml");
    List<HasMetadata> rbac =
        admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
    assertThat(rbac).extracting(HasMetadata::getKind).contains("ClusterRole", "RoleBinding");
    rbac.forEach(object -> admin.resource(object).create());

    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();

    admin
        .serviceAccounts()
        .inNamespace(target)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("backup")
                .withNamespace(target)
                .endMetadata()
                .build())
        .create();
    admin
        .apps()
        .statefulSets()
        .inNamespace(target)
        .resource(
            TestWorkloads.statefulSet(
                target,
                "db",
                "backup",
                Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT),
                Map.of()))
        .create();

    Path repoPath = sandbox.newDir("repository");
    RepositoryFixtures.create(
        admin,
        RepositoryFixtures.filesystemLocation(
            namespace, "location", repoPath.toString(), REPO_PASSWORD),
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-" + target));
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("work"), Duration.ofSeconds(3));

    try (KubernetesClient operatorClient = ns.cluster().clientWithToken(token);
        LocalOperator operator =
            LocalOperator.start(
                admin, operatorClient, options, sandbox.newDir("local"), List.of())) {
      admin
          .resource(
              RepositoryFixtures.repository(namespace, "repo", target, "location", "admin", "tls"))
          .create();

      // Either the pass gets through the users step, or it fails; a failure ends the wait at once.
      Repository settled =
          await()
              .atMost(SETTLE)
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> E2eSupport.get(admin, namespace, "repo"),
                  r ->
                      E2eSupport.condition(r, "UsersReady")
                              .map(c -> "True".equals(c.getStatus()))
                              .orElse(false)
                          || E2eSupport.condition(r, "ServerReady")
                              .map(c -> "ServerStepFailed".equals(c.getReason()))
                              .orElse(false));
      Condition server = E2eSupport.condition(settled, "ServerReady").orElseThrow();
      assertThat(server.getReason())
          .as("ServerReady: %s", server.getMessage())
          .isEqualTo("Serving");
      Condition users = E2eSupport.condition(settled, "UsersReady").orElseThrow();
      assertThat(users.getReason()).isEqualTo("Registered");
      Repository ready = settled;
      assertThat(ready.getStatus().getUsers().getRegistered()).isEqualTo(1);
    }
  }
}
