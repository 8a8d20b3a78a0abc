package io.kanister.kopia.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.operator.workload.WorkloadSource.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Labelled StatefulSets, Deployments and DaemonSets, in that order (the order decides which one
 * keeps a username two workloads would share): from the operator's workload informer caches, or
 * (tests, tools) straight from the API server.
 */
public final class LabelledWorkloads implements WorkloadSource {
  private static final Map<String, String> OPTED_IN =
      Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT);

  private final Function<String, List<StatefulSet>> statefulSets;
  private final Function<String, List<Deployment>> deployments;
  private final Function<String, List<DaemonSet>> daemonSets;
  private final WorkloadLookup lookup;

  /** Finds one workload by kind, namespace and name. */
  @FunctionalInterface
  public interface WorkloadLookup {
    Optional<HasMetadata> find(String kind, String namespace, String name);
  }

  public LabelledWorkloads(KubernetesClient client) {
    var apps = client.apps();
    this.statefulSets =
        ns -> apps.statefulSets().inNamespace(ns).withLabels(OPTED_IN).list().getItems();
    this.deployments =
        ns -> apps.deployments().inNamespace(ns).withLabels(OPTED_IN).list().getItems();
    this.daemonSets =
        ns -> apps.daemonSets().inNamespace(ns).withLabels(OPTED_IN).list().getItems();
    this.lookup =
        (kind, ns, name) ->
            Optional.ofNullable(
                switch (kind) {
                  case "StatefulSet" -> apps.statefulSets().inNamespace(ns).withName(name).get();
                  case "Deployment" -> apps.deployments().inNamespace(ns).withName(name).get();
                  case "DaemonSet" -> apps.daemonSets().inNamespace(ns).withName(name).get();
                  default -> null;
                });
  }

  /** Reads the caches the workload watches keep anyway: no list or get per pass. */
  public LabelledWorkloads(
      InformerCache<StatefulSet> statefulSets,
      InformerCache<Deployment> deployments,
      InformerCache<DaemonSet> daemonSets) {
    this.statefulSets = ns -> optedIn(statefulSets, ns);
    this.deployments = ns -> optedIn(deployments, ns);
    this.daemonSets = ns -> optedIn(daemonSets, ns);
    this.lookup =
        (kind, ns, name) ->
            switch (kind) {
              case "StatefulSet" -> statefulSets.get(ns, name).map(HasMetadata.class::cast);
              case "Deployment" -> deployments.get(ns, name).map(HasMetadata.class::cast);
              case "DaemonSet" -> daemonSets.get(ns, name).map(HasMetadata.class::cast);
              default -> Optional.empty();
            };
  }

  @Override
  public List<Workload> labelledWorkloads(String namespace) {
    List<Workload> workloads = new ArrayList<>();
    statefulSets
        .apply(namespace)
        .forEach(s -> workloads.add(Workload.of("StatefulSet", s, s.getSpec().getTemplate())));
    deployments
        .apply(namespace)
        .forEach(d -> workloads.add(Workload.of("Deployment", d, d.getSpec().getTemplate())));
    daemonSets
        .apply(namespace)
        .forEach(d -> workloads.add(Workload.of("DaemonSet", d, d.getSpec().getTemplate())));
    return workloads;
  }

  /** The same source, one workload at a time. */
  public WorkloadLookup lookup() {
    return lookup;
  }

  private static <W extends HasMetadata> List<W> optedIn(InformerCache<W> cache, String ns) {
    return cache.listInNamespace(ns).stream()
        .filter(w -> w.getMetadata().getLabels() != null)
        .filter(w -> w.getMetadata().getLabels().entrySet().containsAll(OPTED_IN.entrySet()))
        .sorted(java.util.Comparator.comparing((W w) -> w.getMetadata().getName()))
        .toList();
  }
}
