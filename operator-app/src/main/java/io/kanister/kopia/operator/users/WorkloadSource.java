package io.kanister.kopia.operator.users;

import java.util.List;

/**
 * Lists the workloads of a namespace labelled {@code repo.kanister.io/authn-mode: service-account}.
 */
@FunctionalInterface
public interface WorkloadSource {
  List<Workload> labelledWorkloads(String namespace);
}
