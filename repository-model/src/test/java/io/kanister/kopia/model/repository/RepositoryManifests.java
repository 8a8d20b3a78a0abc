package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.function.Consumer;

/** A seed-like Repository as an editable JSON tree, to derive valid and invalid variants from. */
final class RepositoryManifests {
  static final ResourceDefinitionContext REPOSITORIES =
      new ResourceDefinitionContext.Builder()
          .withGroup(Repository.GROUP)
          .withVersion(Repository.VERSION)
          .withKind(Repository.KIND)
          .withPlural(Repository.PLURAL)
          .withNamespaced(true)
          .build();

  static final String SEED_LIKE =
      """
      apiVersion: cr.kanister.io/v1alpha1
      kind: Repository
      metadata:
        name: repository-monitoring
        labels:
          repo.kanister.io/target-namespace: monitoring
      spec:
        targetNamespace: monitoring
        location:
          secretName: repository-monitoring-location
        server:
          adminSecretName: repository-monitoring-server-admin
          tlsSecretName: repository-monitoring-server-tls
          accessSecretNames:
          - repository-monitoring-server-access
        policy:
          addIgnore: ["/data/cache"]
          compression: s2-default
          keepAnnual: 3
          keepDaily: 14
          keepHourly: 48
          keepLatest: 10
          keepMonthly: 24
          keepWeekly: 25
          snapshotInterval: 6h
          snapshotTime: ["00:00","06:00","18:00"]
      """;

  private RepositoryManifests() {}

  static ObjectNode seedLike(String name) {
    ObjectNode tree = (ObjectNode) Serialization.unmarshal(SEED_LIKE, ObjectNode.class);
    ((ObjectNode) tree.get("metadata")).put("name", name);
    return tree;
  }

  static ObjectNode seedLike(String name, Consumer<ObjectNode> editSpec) {
    ObjectNode tree = seedLike(name);
    editSpec.accept((ObjectNode) tree.get("spec"));
    return tree;
  }

  static GenericKubernetesResource generic(ObjectNode tree) {
    return Serialization.jsonMapper().convertValue(tree, GenericKubernetesResource.class);
  }
}
