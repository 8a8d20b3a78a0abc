package io.kanister.kopia.model.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryCrdInstaller;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/examples apply cleanly to a real API server with the generated CRD. */
@RealKubernetes
class ExamplesIT {
  @BeforeAll
  static void installCrd(LocalControlPlane cluster) {
    RepositoryCrdInstaller.install(cluster.adminClient());
  }

  @Test
  void namespaceModeExampleApplies(TestNamespace ns) {
    applyAll(ns, Examples.NAMESPACE_MODE);

    Repository applied =
        ns.client()
            .resources(Repository.class)
            .inNamespace(ns.name())
            .withName("repository-monitoring")
            .get();
    assertThat(applied.getSpec().getTargetNamespace()).isEqualTo("monitoring");
    assertThat(applied.getSpec().getPolicies()).hasSize(2);
    assertThat(ns.client().secrets().inNamespace(ns.name()).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .contains(
            "repository-monitoring-location",
            "repository-monitoring-server-admin",
            "repository-monitoring-server-access");
  }

  @Test
  void globalModeExampleApplies(TestNamespace ns) {
    applyAll(ns, Examples.GLOBAL_MODE);

    Repository applied =
        ns.client()
            .resources(Repository.class)
            .inNamespace(ns.name())
            .withName("repository-global")
            .get();
    assertThat(applied.getSpec().getTargetNamespace()).isNull();
    assertThat(applied.getSpec().getLocation().getSecretName()).isEqualTo("repository-global");
  }

  /** Server-side apply into the test's namespace instead of {@code kanister}. */
  private static void applyAll(TestNamespace ns, String file) {
    for (GenericKubernetesResource object : Examples.objects(file)) {
      object.getMetadata().setNamespace(ns.name());
      ns.client().resource(object).fieldManager("examples-it").serverSideApply();
    }
  }
}
