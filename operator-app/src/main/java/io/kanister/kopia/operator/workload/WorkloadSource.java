package io.kanister.kopia.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kanister.kopia.core.user.KopiaUsername;
import java.util.List;

/**
 * Lists the workloads of a namespace labelled {@code repo.kanister.io/authn-mode: service-account}.
 */
@FunctionalInterface
public interface WorkloadSource {
  List<Workload> labelledWorkloads(String namespace);

  /**
   * A workload (StatefulSet, Deployment or DaemonSet) that opted in to a generated access user.
   *
   * @param serviceAccount the pod template's {@code serviceAccountName}, or {@code default}
   */
  public record Workload(String kind, String namespace, String name, String serviceAccount) {
    public static final String DEFAULT_SERVICE_ACCOUNT = "default";

    public static Workload of(String kind, HasMetadata workload, PodTemplateSpec template) {
      String serviceAccount =
          template == null || template.getSpec() == null
              ? null
              : template.getSpec().getServiceAccountName();
      if (serviceAccount == null || serviceAccount.isBlank()) {
        // The deprecated serviceAccount field is an alias the API server keeps in step.
        serviceAccount =
            template == null || template.getSpec() == null
                ? null
                : template.getSpec().getServiceAccount();
      }
      return new Workload(
          kind,
          workload.getMetadata().getNamespace(),
          workload.getMetadata().getName(),
          serviceAccount == null || serviceAccount.isBlank()
              ? DEFAULT_SERVICE_ACCOUNT
              : serviceAccount);
    }

    /**
     * {@code <serviceAccount>@<namespace>.<workload>}, lowercased.
     *
     * @throws IllegalArgumentException when the parts make no Kopia username
     */
    public KopiaUsername kopiaUsername() {
      return KopiaUsername.lowercased(serviceAccount + "@" + namespace + "." + name);
    }

    /** {@code StatefulSet monitoring/db}, for messages. */
    public String describe() {
      return kind + " " + namespace + "/" + name;
    }
  }
}
