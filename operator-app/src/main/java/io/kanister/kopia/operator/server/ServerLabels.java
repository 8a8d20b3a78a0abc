package io.kanister.kopia.operator.server;

import io.kanister.kopia.model.RepositoryLabels;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on every server object; the selector labels are the stable subset. */
final class ServerLabels {
  static final String NAME = "app.kubernetes.io/name";
  static final String INSTANCE = "app.kubernetes.io/instance";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String COMPONENT = "app.kubernetes.io/component";
  static final String OPERATOR = "kopia-operator";

  private ServerLabels() {}

  static Map<String, String> selector(ServerPlan plan) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, "kopia-server");
    labels.put(INSTANCE, plan.repositoryName());
    return labels;
  }

  /** In global mode the target-namespace label is empty: the server serves every namespace. */
  static Map<String, String> all(ServerPlan plan) {
    Map<String, String> labels = selector(plan);
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(COMPONENT, "repository-server");
    labels.put(RepositoryLabels.TARGET_NAMESPACE, plan.targetNamespace().orElse(""));
    return labels;
  }
}
