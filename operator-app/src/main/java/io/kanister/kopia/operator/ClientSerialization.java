package io.kanister.kopia.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * The operator client's JSON mapping. fabric8's default one, on the first object it decodes without
 * a Java type given (the object of a watch event), loads and reads the annotations of every model
 * class its jars list, about 1100 (Gateway API, resource.k8s.io and others the operator never
 * reads): 0.3 s of CPU on the first reconcile's path (issue 14 P5). This one knows only the kinds
 * the operator watches, and {@link Status}, which a watch's ERROR event carries (the informer
 * relists on its 410 Gone). A watch event of any other kind decodes as fabric8 decodes custom
 * resources: generic first, then converted to the watched type.
 */
public final class ClientSerialization {
  static final List<Class<? extends KubernetesResource>> KINDS =
      List.of(
          Status.class,
          Deployment.class,
          StatefulSet.class,
          DaemonSet.class,
          Service.class,
          Secret.class,
          ConfigMap.class,
          Pod.class,
          Lease.class,
          Event.class);

  private ClientSerialization() {}

  public static KubernetesSerialization create() {
    KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper(), false);
    KINDS.forEach(serialization::registerKubernetesResource);
    return serialization;
  }
}
