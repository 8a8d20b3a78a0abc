package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 section 7 for deletion, on a real API server under real RBAC: when the server objects of
 * a deleted Repository cannot be removed (here the operator may not delete Deployments), status and
 * a Warning Event say why before the retry, the finalizer stays, and once the operator may delete
 * again the next pass finishes the deletion.
 */
@RealKubernetes
class DeletionFailureIT {
  private static final String NAME = "repository-app";
  private static final String SERVICE = "repo-app";
  private static final String OPERATOR = "kko-deleter";

  @Test
  void aDeletionThatCannotFinishSaysWhyAndFinishesOnceAllowed(TestNamespace ns, @TempDir Path work)
      throws Exception {
    KubernetesClient admin = ns.client();
    RepositoryCrdInstall.shipped(admin);
    new RepositoryReconcilerIT.Fixture(
            admin, ns.name(), Files.createDirectories(work.resolve("repository")))
        .allSecrets();
    Repository repository = TestReconcilers.repository(ns.name(), NAME);
    admin.resource(repository).create();
    admin.resource(role(ns.name(), false)).create();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(OPERATOR)
                .withNamespace(ns.name())
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", OPERATOR)
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(OPERATOR)
                .endSubject()
                .build())
        .create();
    KubernetesClient operator = ns.cluster().clientAs(OPERATOR, "kko-test");
    Request request = new Request(ns.name(), NAME);

    try (SharedInformers informers = new SharedInformers(admin)) {
      InformerCache<Repository> cache = informers.cache(Repository.class, ns.name());
      InformerCache<Secret> secrets = informers.cache(Secret.class, ns.name());
      informers.start();
      informers.awaitSynced(Duration.ofSeconds(30));
      ServerEndpointResolver endpoints = (host, port) -> host + ":" + port;
      RepositoryReconciler reconciler =
          TestReconcilers.reconciler(
              operator,
              cache,
              secrets,
              new RepositoryReconcilerIT.RecordingRunner(RepositoryReconcilerIT.Answers.existing()),
              work,
              endpoints,
              Clock.systemUTC(),
              null,
              "deletion-it");
      reconciler.reconcile(request);
      assertThat(deployment(admin, ns.name())).isNotNull();

      admin.resource(repository).delete();
      await(
          () ->
              cache
                  .get(request)
                  .map(r -> r.getMetadata().getDeletionTimestamp() != null)
                  .orElse(false));
      assertThatThrownBy(() -> reconciler.reconcile(request))
          .isInstanceOf(KubernetesClientException.class);

      Repository stuck = admin.resource(repository).get();
      Condition server = stuck.getStatus().condition("ServerReady").orElseThrow();
      assertThat(server.getStatus() + "/" + server.getReason())
          .isEqualTo("False/" + RepositoryReconciler.DELETION_FAILED);
      assertThat(server.getMessage())
          .contains("deleting the server objects failed")
          .contains("403")
          .contains("deployments")
          .hasSizeLessThan(512);
      assertThat(stuck.getMetadata().getFinalizers()).contains(RepositoryReconciler.FINALIZER);
      assertThat(
              admin.v1().events().inNamespace(ns.name()).list().getItems().stream()
                  .filter(e -> NAME.equals(e.getInvolvedObject().getName()))
                  .filter(e -> RepositoryReconciler.DELETION_FAILED.equals(e.getReason()))
                  .map(e -> e.getType()))
          .containsExactly("Warning");
      assertThat(deployment(admin, ns.name())).isNotNull();

      admin.resource(role(ns.name(), true)).update();
      await(() -> deletable(operator, ns.name()));
      reconciler.reconcile(request);
      await(() -> admin.resource(repository).get() == null);
      await(() -> deployment(admin, ns.name()) == null);
    }
  }

  /** Everything in the namespace, but deleting Deployments only when {@code mayDelete}. */
  private static Role role(String namespace, boolean mayDelete) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(
        new PolicyRuleBuilder()
            .withApiGroups("*")
            .withResources("*", "*/*")
            .withVerbs("get", "list", "watch", "create", "update", "patch")
            .build());
    rules.add(
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("secrets", "services", "configmaps")
            .withVerbs("delete")
            .build());
    if (mayDelete) {
      rules.add(
          new PolicyRuleBuilder()
              .withApiGroups("apps")
              .withResources("deployments")
              .withVerbs("delete")
              .build());
    }
    return new RoleBuilder()
        .withNewMetadata()
        .withName(OPERATOR)
        .withNamespace(namespace)
        .endMetadata()
        .withRules(rules)
        .build();
  }

  private static boolean deletable(KubernetesClient operator, String namespace) {
    return operator
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(
            new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withNamespace(namespace)
                .withGroup("apps")
                .withResource("deployments")
                .withVerb("delete")
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  private static HasMetadata deployment(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).withName(SERVICE).get();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
