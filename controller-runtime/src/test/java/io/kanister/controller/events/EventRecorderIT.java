package io.kanister.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Clock;
import org.junit.jupiter.api.Test;

@RealKubernetes
class EventRecorderIT {

  @Test
  void repeatsAreAggregatedIntoOneEventWithACount(TestNamespace ns) {
    var involved =
        ns.client()
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withNamespace(ns.name())
                    .withName("subject")
                    .endMetadata()
                    .build())
            .create();
    var recorder = new EventRecorder(ns.client(), "test-controller", "pod-0", Clock.systemUTC());

    recorder.warning(involved, "Invalid", "spec.size must not be negative");
    recorder.warning(involved, "Invalid", "spec.size must not be negative");
    recorder.warning(involved, "Invalid", "spec.size must not be negative");
    recorder.normal(involved, "Reconciled", "all good");

    var events = ns.client().v1().events().inNamespace(ns.name()).list().getItems();
    assertThat(events).hasSize(2);
    var invalid =
        events.stream().filter(e -> "Invalid".equals(e.getReason())).findFirst().orElseThrow();
    assertThat(invalid.getCount()).isEqualTo(3);
    assertThat(invalid.getType()).isEqualTo("Warning");
    assertThat(invalid.getInvolvedObject().getUid()).isEqualTo(involved.getMetadata().getUid());
    assertThat(invalid.getSource().getComponent()).isEqualTo("test-controller");
    assertThat(invalid.getLastTimestamp()).isGreaterThanOrEqualTo(invalid.getFirstTimestamp());
  }

  @Test
  void aRestartedRecorderCountsOnTheSameEvent(TestNamespace ns) {
    var involved =
        ns.client()
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withNamespace(ns.name())
                    .withName("subject")
                    .endMetadata()
                    .build())
            .create();

    new EventRecorder(ns.client(), "c", "pod-0", Clock.systemUTC())
        .warning(involved, "Failed", "x");
    new EventRecorder(ns.client(), "c", "pod-1", Clock.systemUTC())
        .warning(involved, "Failed", "x");

    var events = ns.client().v1().events().inNamespace(ns.name()).list().getItems();
    assertThat(events).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
  }
}
