package io.kanister.kopia.operator.server;

import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.model.RepositoryLabels;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on every server object; the selector labels are the stable subset. */
public final class ServerLabels {
  static final String NAME = "app.kubernetes.io/name";
  static final String INSTANCE = "app.kubernetes.io/instance";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String COMPONENT = "app.kubernetes.io/component";
  static final String OPERATOR = "kopia-operator";

  private ServerLabels() {}

  /**
   * A Repository name as a label value: names may be 253 characters, label values only 63, so long
   * ones are cut and made unique again with a digest of the whole name.
   */
  public static String labelValue(String name) {
    if (name.length() <= 63) {
      return name;
    }
    String prefix = name.substring(0, 52).replaceAll("[^A-Za-z0-9]+$", "");
    return prefix + "-" + Sha256.hex(name).substring(0, 10);
  }

  static Map<String, String> selector(ServerPlan plan) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, "kopia-server");
    labels.put(INSTANCE, labelValue(plan.repositoryName()));
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
