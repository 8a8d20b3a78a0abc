package io.kanister.kopia.operator.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@RealKubernetes
class DeploymentScopeAnnotationIT {
  @Test
  void annotatesTheOperatorDeploymentWithoutTouchingItsPods(TestNamespace ns) {
    Deployment created = ns.client().resource(deployment(ns)).create();

    DeploymentScopeAnnotation.Outcome outcome =
        new DeploymentScopeAnnotation(ns.client(), ns.name())
            .annotate(Optional.of("kopia-operator"), RepositoryScope.NAMESPACE);

    Deployment annotated =
        ns.client().apps().deployments().inNamespace(ns.name()).withName("kopia-operator").get();
    assertThat(outcome).isEqualTo(DeploymentScopeAnnotation.Outcome.ANNOTATED);
    assertThat(annotated.getMetadata().getAnnotations())
        .containsEntry("repo.kanister.io/repo-scope", "namespace")
        .containsEntry("kept", "yes");
    // Deployments bump metadata.generation on annotation changes too; no rollout follows as long
    // as the pod template stays the same.
    assertThat(annotated.getSpec().getTemplate()).isEqualTo(created.getSpec().getTemplate());
  }

  @Test
  void skipsWithoutDeploymentOrWhenItIsMissing(TestNamespace ns) {
    DeploymentScopeAnnotation annotation = new DeploymentScopeAnnotation(ns.client(), ns.name());

    assertThat(annotation.annotate(Optional.empty(), RepositoryScope.GLOBAL))
        .isEqualTo(DeploymentScopeAnnotation.Outcome.SKIPPED_NO_DEPLOYMENT);
    assertThat(annotation.annotate(Optional.of("absent"), RepositoryScope.GLOBAL))
        .isEqualTo(DeploymentScopeAnnotation.Outcome.SKIPPED_NOT_FOUND);
  }

  @Test
  void skipsWhenNotAllowedToPatch(TestNamespace ns) {
    ns.client().resource(deployment(ns)).create();
    DeploymentScopeAnnotation annotation =
        new DeploymentScopeAnnotation(ns.cluster().clientAs("nobody", "no-rights"), ns.name());

    assertThat(annotation.annotate(Optional.of("kopia-operator"), RepositoryScope.GLOBAL))
        .isEqualTo(DeploymentScopeAnnotation.Outcome.SKIPPED_FORBIDDEN);
  }

  private static Deployment deployment(TestNamespace ns) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("kopia-operator")
        .withNamespace(ns.name())
        .addToAnnotations("kept", "yes")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "kopia-operator")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "kopia-operator")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("operator")
        .withImage("kopia-operator:test")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
