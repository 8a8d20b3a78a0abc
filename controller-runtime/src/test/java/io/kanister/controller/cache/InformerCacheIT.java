package io.kanister.controller.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RealKubernetes
class InformerCacheIT {

  @Test
  void readsByNameLabelAndCustomIndexOnceSynced(TestNamespace ns) throws Exception {
    create(ns, "a", Map.of("tier", "db"), "alice");
    create(ns, "b", Map.of("tier", "web"), "bob");
    create(ns, "c", Map.of("tier", "db"), "bob");
    try (var informers = new SharedInformers(ns.client())) {
      var cache = informers.cache(ConfigMap.class, ns.name());
      assertThat(informers.cache(ConfigMap.class, ns.name())).isSameAs(cache);
      cache.addIndex("byUser", cm -> List.of(cm.getData().get("user")));
      assertThat(informers.allSynced()).isFalse();

      informers.start();
      informers.awaitSynced(Duration.ofSeconds(60));

      assertThat(informers.allSynced()).isTrue();
      assertThat(informers.allRunning()).isTrue();
      assertThat(cache.get(ns.name(), "a")).isPresent();
      assertThat(cache.get(ns.name(), "missing")).isEmpty();
      assertThat(cache.listByLabels(Map.of("tier", "db")))
          .extracting(cm -> cm.getMetadata().getName())
          .containsExactlyInAnyOrder("a", "c");
      assertThat(cache.byIndex("byUser", "bob"))
          .extracting(cm -> cm.getMetadata().getName())
          .containsExactlyInAnyOrder("b", "c");

      create(ns, "d", Map.of("tier", "db"), "bob");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> cache.byIndex("byUser", "bob").size() == 3);
    }
  }

  @Test
  void keepsNoManagedFieldsAndAWriteOfACachedObjectKeepsTheServers(TestNamespace ns)
      throws Exception {
    create(ns, "owned", Map.of("tier", "db"), "alice");
    try (var informers = new SharedInformers(ns.client())) {
      var cache = informers.cache(ConfigMap.class, ns.name());
      informers.start();
      informers.awaitSynced(Duration.ofSeconds(60));
      ConfigMap cached = cache.get(ns.name(), "owned").orElseThrow();
      assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();

      ConfigMap changed = new ConfigMapBuilder(cached).withData(Map.of("user", "carol")).build();
      ns.client().configMaps().inNamespace(ns.name()).resource(changed).update();
      ConfigMap stored = ns.client().configMaps().inNamespace(ns.name()).withName("owned").get();
      assertThat(stored.getData()).containsEntry("user", "carol");
      assertThat(stored.getMetadata().getManagedFields()).as("the server's record").isNotEmpty();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  "carol".equals(cache.get(ns.name(), "owned").orElseThrow().getData().get("user"))
                      && cache
                              .get(ns.name(), "owned")
                              .orElseThrow()
                              .getMetadata()
                              .getManagedFields()
                          == null);
    }
  }

  @Test
  void aLabelSelectedCacheHoldsOnlyWhatTheApiServerSelected(TestNamespace ns) throws Exception {
    create(ns, "opted-in", Map.of("tier", "db"), "alice");
    create(ns, "unlabelled", Map.of(), "bob");
    try (var informers = new SharedInformers(ns.client())) {
      var selected = informers.cache(ConfigMap.class, null, Map.of("tier", "db"));
      assertThat(informers.cache(ConfigMap.class, null, Map.of("tier", "db"))).isSameAs(selected);
      assertThat(informers.cache(ConfigMap.class, null)).isNotSameAs(selected);
      informers.start();
      informers.awaitSynced(Duration.ofSeconds(60));

      assertThat(selected.listInNamespace(ns.name()))
          .extracting(cm -> cm.getMetadata().getName())
          .containsExactly("opted-in");
      assertThat(selected.get(ns.name(), "unlabelled")).isEmpty();
      assertThat(selected.list())
          .allMatch(cm -> "db".equals(cm.getMetadata().getLabels().get("tier")));

      // Labelled later: sent then; unlabelled: dropped (the API server sends a delete).
      ns.client()
          .configMaps()
          .inNamespace(ns.name())
          .withName("unlabelled")
          .edit(
              cm ->
                  new ConfigMapBuilder(cm)
                      .editMetadata()
                      .addToLabels("tier", "db")
                      .endMetadata()
                      .build());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> selected.get(ns.name(), "unlabelled").isPresent());
      ns.client()
          .configMaps()
          .inNamespace(ns.name())
          .withName("opted-in")
          .edit(
              cm ->
                  new ConfigMapBuilder(cm)
                      .editMetadata()
                      .removeFromLabels("tier")
                      .endMetadata()
                      .build());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> selected.get(ns.name(), "opted-in").isEmpty());
    }
  }

  private static void create(
      TestNamespace ns, String name, Map<String, String> labels, String user) {
    ns.client()
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(ns.name())
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withData(Map.of("user", user))
                .build())
        .create();
  }
}
