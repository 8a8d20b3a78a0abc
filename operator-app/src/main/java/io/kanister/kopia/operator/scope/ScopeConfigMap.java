package io.kanister.kopia.operator.scope;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.RepositoryScope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Where the mode is recorded: a ConfigMap in the operator namespace, which the operator owns and
 * which outlives the operator's Deployment (uninstalling the operator must not forget the mode
 * while Repositories remain).
 */
public final class ScopeConfigMap {
  public static final String NAME = "kopia-operator-scope";
  public static final String SCOPE_KEY = "repositoryScope";
  public static final String RECORDED_AT_KEY = "recordedAt";
  public static final String RECORDED_BY_KEY = "recordedBy";

  private final KubernetesClient client;
  private final String namespace;

  /** The stored ConfigMap and the record read from it; the ConfigMap carries the version. */
  record Stored(ConfigMap configMap, ScopeRecord record) {}

  public ScopeConfigMap(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** {@code namespace/name}, for messages. */
  public String describe() {
    return namespace + "/" + NAME;
  }

  /**
   * @throws IllegalStateException when the ConfigMap exists but does not hold a record
   */
  public Optional<ScopeRecord> read() {
    return readStored().map(Stored::record);
  }

  Optional<Stored> readStored() {
    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(NAME).get();
    if (configMap == null) {
      return Optional.empty();
    }
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    try {
      return Optional.of(
          new Stored(
              configMap,
              new ScopeRecord(
                  RepositoryScope.fromValue(data.get(SCOPE_KEY))
                      .orElseThrow(IllegalArgumentException::new),
                  Instant.parse(data.getOrDefault(RECORDED_AT_KEY, "")),
                  data.getOrDefault(RECORDED_BY_KEY, "unknown"))));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalStateException(
          "ConfigMap "
              + describe()
              + " does not hold a valid mode record ("
              + SCOPE_KEY
              + " must be 'global' or 'namespace', "
              + RECORDED_AT_KEY
              + " an RFC 3339 time); restore it, or delete it to record the current mode again");
    }
  }

  /**
   * Writes {@code record}: creates the ConfigMap when {@code previous} is empty, else replaces it
   * only if nobody changed it since it was read.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException with code 409 when another
   *     writer came first
   */
  void write(ScopeRecord record, Optional<Stored> previous) {
    ConfigMapBuilder builder =
        previous.map(p -> new ConfigMapBuilder(p.configMap())).orElseGet(ConfigMapBuilder::new);
    ConfigMap configMap =
        builder
            .editOrNewMetadata()
            .withName(NAME)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/name", "kopia-operator")
            .addToLabels("app.kubernetes.io/component", "repository-scope")
            .addToAnnotations(
                "kubernetes.io/description",
                "The Repository mode of this cluster. Written by the operator; see docs/modes.md"
                    + " before changing it.")
            .endMetadata()
            .withData(
                Map.of(
                    SCOPE_KEY, record.scope().value(),
                    RECORDED_AT_KEY, record.recordedAt().toString(),
                    RECORDED_BY_KEY, record.recordedBy()))
            .build();
    if (previous.isEmpty()) {
      client.configMaps().inNamespace(namespace).resource(configMap).create();
    } else {
      client.configMaps().inNamespace(namespace).resource(configMap).update();
    }
  }
}
