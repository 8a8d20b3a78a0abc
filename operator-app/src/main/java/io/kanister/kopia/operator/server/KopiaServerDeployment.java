package io.kanister.kopia.operator.server;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kanister.kopia.core.command.ServerStartSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Kopia repository server as a Deployment: one replica, {@code Recreate} (two servers must
 * never hold the same repository open for writes during a roll), every credential from a Secret.
 */
public final class KopiaServerDeployment {
  /** Pod-template annotation whose change rolls the server when an input changes. */
  public static final String INPUTS_HASH_ANNOTATION = "repo.kanister.io/server-inputs-hash";

  /**
   * The container port of kopia's Prometheus metrics listener (plain HTTP, no auth), which the
   * liveness probe asks; one up when {@code --server-port} takes it.
   */
  public static final int METRICS_PORT = 51516;

  private static final long KOPIA_UID = 65532;

  private KopiaServerDeployment() {}

  public static Deployment of(ServerPlan plan) {
    ServerStartSpec start =
        ServerStartSpec.builder()
            .address("0.0.0.0:" + plan.port())
            .configFile(ServerPlan.CONFIG_FILE)
            .tlsCertFile(ServerPlan.TLS_DIR + "/tls.crt")
            .tlsKeyFile(ServerPlan.TLS_DIR + "/tls.key")
            .cacheDirectory(ServerPlan.CACHE_DIR)
            // Every address of the pod (the pod network namespace holds only lo and the pod
            // IP, v4 or v6): the kubelet probes the pod IP.
            .metricsAddress(":" + metricsPort(plan))
            .build();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(plan.serviceName())
        .withNamespace(plan.namespace())
        .withLabels(ServerLabels.all(plan))
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewSelector()
        .withMatchLabels(ServerLabels.selector(plan))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(ServerLabels.all(plan))
        .withAnnotations(Map.of(INPUTS_HASH_ANNOTATION, plan.inputsHash()))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(KOPIA_UID)
        .withRunAsGroup(KOPIA_UID)
        .withFsGroup(KOPIA_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(plan, start))
        .addNewVolume()
        .withName("config")
        .withNewSecret()
        .withSecretName(plan.configSecretName())
        .withDefaultMode(0400)
        .endSecret()
        .endVolume()
        .addNewVolume()
        .withName("tls")
        .withNewSecret()
        .withSecretName(plan.tlsSecretName())
        .withDefaultMode(0400)
        .endSecret()
        .endVolume()
        .addAllToVolumes(gcsVolume(plan))
        .addNewVolume()
        .withName("cache")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(ServerPlan plan, ServerStartSpec start) {
    return new ContainerBuilder()
        .withName(ServerPlan.CONTAINER_NAME)
        .withImage(plan.image())
        .withCommand(ServerPlan.KOPIA_ENTRY_POINT)
        .withArgs(start.args())
        .withEnv(environment(plan))
        .addNewPort()
        .withName("kopia")
        .withContainerPort(plan.port())
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("metrics")
        .withContainerPort(metricsPort(plan))
        .withProtocol("TCP")
        .endPort()
        // A TCP probe: the control API needs credentials, and probes cannot carry Secrets.
        // Kopia listens 1-2 s after start; a 5 s delay and a 10 s period added 5-15 s to every
        // create-to-Ready and restart, and a TCP connect every 2 s costs nothing.
        .withReadinessProbe(tcpProbe(plan, 1, 2))
        .withLivenessProbe(ServerLivenessProbe.of(metricsPort(plan)))
        .withResources(plan.resources())
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("config")
        .withMountPath(ServerPlan.CONFIG_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tls")
        .withMountPath(ServerPlan.TLS_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("cache")
        .withMountPath(ServerPlan.CACHE_DIR)
        .endVolumeMount()
        .addAllToVolumeMounts(
            plan.gcsCredentials().isEmpty()
                ? List.of()
                : List.of(
                    new VolumeMountBuilder()
                        .withName("gcs")
                        .withMountPath(ServerPlan.GCS_DIR)
                        .withReadOnly(true)
                        .build()))
        .build();
  }

  private static List<EnvVar> environment(ServerPlan plan) {
    List<EnvVar> env = new ArrayList<>();
    // Plain settings: no update checks, logs and HOME on the writable cache volume.
    env.add(new EnvVarBuilder().withName("KOPIA_CHECK_FOR_UPDATES").withValue("false").build());
    env.add(
        new EnvVarBuilder()
            .withName("KOPIA_LOG_DIR")
            .withValue(ServerPlan.CACHE_DIR + "/logs")
            .build());
    env.add(new EnvVarBuilder().withName("HOME").withValue(ServerPlan.CACHE_DIR + "/home").build());
    // Read by kopia when it loads the config file: the cache goes on the emptyDir.
    env.add(
        new EnvVarBuilder()
            .withName("KOPIA_CACHE_DIRECTORY")
            .withValue(ServerPlan.CACHE_DIR)
            .build());
    plan.credentialEnvironment().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> env.add(variable(e.getKey(), e.getValue())));
    return env;
  }

  /** GCS reads its service-account key from a file, mounted from the location Secret. */
  private static List<Volume> gcsVolume(ServerPlan plan) {
    return plan.gcsCredentials()
        .map(
            key ->
                List.of(
                    new VolumeBuilder()
                        .withName("gcs")
                        .withNewSecret()
                        .withSecretName(key.secretName())
                        .withDefaultMode(0400)
                        .addNewItem()
                        .withKey(key.key())
                        .withPath("credentials.json")
                        .endItem()
                        .endSecret()
                        .build()))
        .orElse(List.of());
  }

  private static EnvVar variable(String name, ServerPlan.EnvSource source) {
    if (source instanceof ServerPlan.Literal literal) {
      return new EnvVarBuilder().withName(name).withValue(literal.value()).build();
    }
    ServerPlan.SecretKey key = (ServerPlan.SecretKey) source;
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef(key.key(), key.secretName(), false)
        .endValueFrom()
        .build();
  }

  /** {@link #METRICS_PORT}, or the next port when the server listens there. */
  public static int metricsPort(ServerPlan plan) {
    return plan.port() == METRICS_PORT ? METRICS_PORT + 1 : METRICS_PORT;
  }

  private static Probe tcpProbe(ServerPlan plan, int initialDelay, int period) {
    return new ProbeBuilder()
        .withNewTcpSocket()
        .withPort(new IntOrString(plan.port()))
        .endTcpSocket()
        .withInitialDelaySeconds(initialDelay)
        .withPeriodSeconds(period)
        .withFailureThreshold(3)
        .build();
  }
}
