package io.kanister.kopia.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** What a watch event decodes to with the operator's client mapping. */
class ClientSerializationTest {
  private final KubernetesSerialization serialization = ClientSerialization.create();

  @Test
  void aWatchedKindDecodesToItsModelClass() {
    WatchEvent event =
        serialization.unmarshal(
            "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"d\",\"namespace\":\"n\",\"resourceVersion\":\"7\"},"
                + "\"spec\":{\"replicas\":2}}}",
            WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(Deployment.class);
    assertThat(((Deployment) event.getObject()).getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void anErrorEventCarriesAStatusSoTheInformerRelistsOnGone() {
    WatchEvent event =
        serialization.unmarshal(
            "{\"type\":\"ERROR\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Status\","
                + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410}}",
            WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(Status.class);
    assertThat(((Status) event.getObject()).getCode()).isEqualTo(410);
  }

  @Test
  void anyOtherKindIsGenericAndConvertsAsCustomResourcesDo() {
    WatchEvent event =
        serialization.unmarshal(
            "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
                + "\"metadata\":{\"name\":\"r\"},\"spec\":{\"replicas\":3}}}",
            WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(GenericKubernetesResource.class);
    assertThat(
            serialization.convertValue(event.getObject(), ReplicaSet.class).getSpec().getReplicas())
        .isEqualTo(3);
    // The model's ~1100 classes were not scanned for it.
    assertThat(serialization.getRegisteredKubernetesResource("apps/v1", "ReplicaSet")).isNull();
  }
}
