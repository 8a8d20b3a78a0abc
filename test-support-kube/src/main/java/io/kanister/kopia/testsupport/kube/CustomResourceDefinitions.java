package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/** Installs CRDs on the local control plane and waits until they are served. */
public final class CustomResourceDefinitions {
  private CustomResourceDefinitions() {}

  /**
   * Creates or updates {@code crd} (server-side apply) and waits for {@code Established}: until
   * then, creating its objects fails with 404.
   */
  public static void install(KubernetesClient client, CustomResourceDefinition crd) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    crds.resource(crd).forceConflicts().serverSideApply();
    crds.withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            60,
            TimeUnit.SECONDS);
  }
}
