package io.kanister.kopia.operator.users;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists labelled StatefulSets, Deployments and DaemonSets from the API server, in that order (the
 * order decides which one keeps a username two workloads would share).
 */
public final class LabelledWorkloads implements WorkloadSource {
  private final KubernetesClient client;

  public LabelledWorkloads(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<Workload> labelledWorkloads(String namespace) {
    List<Workload> workloads = new ArrayList<>();
    var apps = client.apps();
    apps.statefulSets()
        .inNamespace(namespace)
        .withLabel(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT)
        .list()
        .getItems()
        .forEach(s -> workloads.add(Workload.of("StatefulSet", s, s.getSpec().getTemplate())));
    apps.deployments()
        .inNamespace(namespace)
        .withLabel(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT)
        .list()
        .getItems()
        .forEach(d -> workloads.add(Workload.of("Deployment", d, d.getSpec().getTemplate())));
    apps.daemonSets()
        .inNamespace(namespace)
        .withLabel(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT)
        .list()
        .getItems()
        .forEach(d -> workloads.add(Workload.of("DaemonSet", d, d.getSpec().getTemplate())));
    return workloads;
  }
}
