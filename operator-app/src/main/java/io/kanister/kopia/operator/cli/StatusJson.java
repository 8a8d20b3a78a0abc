package io.kanister.kopia.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -o json}: for each Repository its namespace, name, the computed {@code ready} and {@code
 * exitCode}, and its status exactly as stored (no spec, so nothing that names a Secret's content).
 */
final class StatusJson {
  private StatusJson() {}

  static void printOne(KubernetesClient client, RepositoryState state, PrintStream out) {
    out.println(client.getKubernetesSerialization().asJson(entry(state)));
  }

  static void printList(KubernetesClient client, List<RepositoryState> states, PrintStream out) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("items", states.stream().map(StatusJson::entry).toList());
    out.println(client.getKubernetesSerialization().asJson(list));
  }

  private static Map<String, Object> entry(RepositoryState state) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("namespace", state.namespace());
    entry.put("name", state.name());
    entry.put("ready", state.ready());
    entry.put("exitCode", state.exitCode());
    entry.put("status", state.status());
    return entry;
  }
}
