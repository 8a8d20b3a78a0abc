package io.kanister.kopia.operator.webhook;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryCrd;
import java.util.concurrent.TimeUnit;

/** Installs a Repository CRD on the test API server and waits until it is served. */
public final class RepositoryCrdInstall {
  private RepositoryCrdInstall() {}

  /** The shipped CRD; applying it again is harmless, so every test may call this. */
  public static void shipped(KubernetesClient client) {
    install(client, RepositoryCrd.load());
  }

  public static void install(KubernetesClient client, CustomResourceDefinition crd) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    crds.resource(crd).forceConflicts().serverSideApply();
    crds.withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            30,
            TimeUnit.SECONDS);
  }

  static String crdName(String group) {
    return Repository.PLURAL + "." + group;
  }
}
