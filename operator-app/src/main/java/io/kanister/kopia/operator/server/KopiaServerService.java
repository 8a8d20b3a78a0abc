package io.kanister.kopia.operator.server;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The ClusterIP Service in front of a repository server; its DNS name is in the client URL. */
public final class KopiaServerService {
  private KopiaServerService() {}

  public static Service of(ServerPlan plan) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(plan.serviceName())
        .withNamespace(plan.namespace())
        .withLabels(ServerLabels.all(plan))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(ServerLabels.selector(plan))
        .addNewPort()
        .withName("kopia")
        .withPort(plan.port())
        .withTargetPort(new IntOrString("kopia"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
