package io.kanister.kopia.model.repository;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/** Installs the generated CRD on a test API server and waits until it serves Repositories. */
public final class RepositoryCrdInstaller {
  private RepositoryCrdInstaller() {}

  public static void install(KubernetesClient client) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    crds.resource(RepositoryCrd.load()).forceConflicts().serverSideApply();
    crds.withName(Repository.CRD_NAME)
        .waitUntilCondition(
            crd ->
                crd != null
                    && crd.getStatus() != null
                    && crd.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
            30,
            TimeUnit.SECONDS);
  }
}
