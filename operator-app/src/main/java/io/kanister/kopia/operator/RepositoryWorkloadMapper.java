package io.kanister.kopia.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.watch.EventPredicate;
import io.kanister.controller.watch.RequestMapper;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.Repository;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Maps a workload (StatefulSet, Deployment, DaemonSet) to the Repositories serving its namespace,
 * so that labelling, unlabelling or deleting it adds or removes its access user.
 */
final class RepositoryWorkloadMapper<W extends HasMetadata> implements RequestMapper<W> {
  /** The opt-in label: the workload informers' server-side selector. */
  static final Map<String, String> OPTED_IN =
      Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT);

  private final InformerCache<Repository> repositories;

  RepositoryWorkloadMapper(InformerCache<Repository> repositories) {
    this.repositories = repositories;
  }

  @Override
  public Set<Request> map(W workload) {
    String namespace = workload.getMetadata().getNamespace();
    return repositories.list().stream()
        .filter(
            r -> r.getSpec() != null && Objects.equals(namespace, r.getSpec().getTargetNamespace()))
        .map(Request::of)
        .collect(Collectors.toSet());
  }

  /** Only opted-in workloads, and the update that removes the label. */
  static <W extends HasMetadata> EventPredicate<W> optedIn() {
    return new EventPredicate<>() {
      @Override
      public boolean onCreate(W object) {
        return labelled(object);
      }

      @Override
      public boolean onUpdate(W previous, W current) {
        return labelled(previous) || labelled(current);
      }

      @Override
      public boolean onDelete(W object) {
        return labelled(object);
      }
    };
  }

  private static boolean labelled(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null
        && AuthnMode.SERVICE_ACCOUNT.equals(labels.get(RepositoryLabels.AUTHN_MODE));
  }
}
