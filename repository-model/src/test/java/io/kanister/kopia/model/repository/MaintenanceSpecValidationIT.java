package io.kanister.kopia.model.repository;

import static io.kanister.kopia.model.repository.RepositoryManifests.REPOSITORIES;
import static io.kanister.kopia.model.repository.RepositoryManifests.generic;
import static io.kanister.kopia.model.repository.RepositoryManifests.seedLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real API server takes a sensible spec.maintenance and refuses bad intervals by name. */
@RealKubernetes
class MaintenanceSpecValidationIT {
  @BeforeAll
  static void installCrd(LocalControlPlane cluster) {
    RepositoryCrdInstaller.install(cluster.adminClient());
  }

  @Test
  void acceptsAScheduleAndKeepsIt(TestNamespace ns) {
    ObjectNode manifest =
        seedLike(
            "maintained",
            spec ->
                spec.putObject("maintenance")
                    .put("enabled", true)
                    .put("quickInterval", "2h")
                    .put("fullInterval", "24h")
                    .put("takeOver", false));

    ns.client()
        .genericKubernetesResources(REPOSITORIES)
        .inNamespace(ns.name())
        .resource(generic(manifest))
        .create();
    Repository stored =
        ns.client().resources(Repository.class).inNamespace(ns.name()).withName("maintained").get();

    assertThat(stored.getSpec().getMaintenance().getQuickInterval()).isEqualTo("2h");
    assertThat(stored.getSpec().getMaintenance().getFullInterval()).isEqualTo("24h");
    assertThat(stored.getSpec().getMaintenance().getEnabled()).isTrue();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "quickInterval, 30s, at least 1m",
    "quickInterval, 0h, at least 1m",
    "fullInterval, 1d, should match",
    "fullInterval, -1h, should match"
  })
  void refusesABadInterval(String field, String value, String expected, TestNamespace ns) {
    ObjectNode manifest =
        seedLike(
            "bad-" + Math.abs((field + value).hashCode()),
            spec -> spec.putObject("maintenance").put(field, value));

    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                ns.client()
                    .genericKubernetesResources(REPOSITORIES)
                    .inNamespace(ns.name())
                    .resource(generic(manifest))
                    .create());

    assertThat(refused).isNotNull();
    assertThat(refused.getCode()).isEqualTo(422);
    assertThat(refused.getStatus().getMessage())
        .contains("spec.maintenance." + field)
        .contains(expected);
  }
}
