package io.kanister.controller.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import org.junit.jupiter.api.Test;

@RealKubernetes
class FinalizersIT {
  private static final String FINALIZER = "runtime.kko.test/cleanup";

  @Test
  void addsOnceAndRemovesLettingADeletionFinish(TestNamespace ns) {
    var configMaps = ns.client().configMaps().inNamespace(ns.name());
    var created =
        configMaps
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withNamespace(ns.name())
                    .withName("guarded")
                    .endMetadata()
                    .build())
            .create();
    var finalizers = new Finalizers(ns.client());

    var guarded = finalizers.add(created, FINALIZER);
    // A stale copy still works: the conflict is retried on the fresh object.
    var again = finalizers.add(created, FINALIZER);

    assertThat(Finalizers.has(guarded, FINALIZER)).isTrue();
    assertThat(again.getMetadata().getFinalizers()).containsExactly(FINALIZER);
    configMaps.withName("guarded").delete();
    var terminating = configMaps.withName("guarded").get();
    assertThat(Finalizers.isBeingDeleted(terminating)).isTrue();

    finalizers.remove(terminating, FINALIZER);

    assertThat(configMaps.withName("guarded").get()).isNull();
  }
}
