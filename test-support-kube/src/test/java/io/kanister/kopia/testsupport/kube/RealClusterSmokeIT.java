package io.kanister.kopia.testsupport.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the real node does what the operator's users rely on: Deployments, exec with stdin (the
 * client export), Secret volumes and env, Service DNS, the reverse path to the host loopback, and
 * garbage collection.
 */
@RealCluster
class RealClusterSmokeIT {
  private static String image;
  private static String toolsPod;

  @BeforeAll
  static void tools(LocalCluster cluster, TestNamespace ns) {
    // The data-mover image: busybox as the shell, with nc (its wget segfaults) and coreutils.
    image = cluster.images().require("/data-mover:");
    toolsPod =
        startPod(
                ns,
                new PodBuilder()
                    .withNewMetadata()
                    .withName("tools")
                    .endMetadata()
                    .withNewSpec()
                    .addToContainers(sleeper("tools"))
                    .endSpec()
                    .build())
            .getMetadata()
            .getName();
  }

  @Test
  void aDeploymentBecomesAvailableAndItsServiceAnswersByDnsName(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    long started = System.nanoTime();
    Deployment deployment =
        client
            .apps()
            .deployments()
            .inNamespace(ns.name())
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("echo")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector()
                    .addToMatchLabels("app", "echo")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "echo")
                    .endMetadata()
                    .withNewSpec()
                    .addToContainers(
                        new ContainerBuilder(
                                container(
                                    "echo", "nc -ll -p 8080 -e sh -c 'echo served-by-$(hostname)'"))
                            .withNewReadinessProbe()
                            .withNewTcpSocket()
                            .withPort(new IntOrString(8080))
                            .endTcpSocket()
                            .withPeriodSeconds(1)
                            .endReadinessProbe()
                            .build())
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .withName("echo")
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()),
            120,
            TimeUnit.SECONDS);
    System.out.printf(
        "[figures] real node: first Deployment Available in %.1fs%n",
        (System.nanoTime() - started) / 1e9);
    assertThat(deployment.getMetadata().getUid()).isNotBlank();

    client
        .services()
        .inNamespace(ns.name())
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("echo")
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", "echo")
                .addNewPort()
                .withPort(80)
                .withTargetPort(new IntOrString(8080))
                .endPort()
                .endSpec()
                .build())
        .create();
    String host = "echo." + ns.name() + ".svc.cluster.local";
    // kube-proxy may need a moment to program the new Service.
    String answer = retryExec(ns, toolsPod, "nc -w 5 " + host + " 80 </dev/null", "served-by-");
    assertThat(answer).contains("served-by-echo-");
  }

  @Test
  void execWithStdinWritesAFileLikeTheClientExport(TestNamespace ns) throws Exception {
    byte[] content = new byte[100_000];
    new SecureRandom().nextBytes(content);
    String script =
        "umask 077 && mkdir -p \"$(dirname \"$1\")\" && head -c \"$2\" > \"$1.tmp\""
            + " && chmod 600 \"$1.tmp\" && mv -f \"$1.tmp\" \"$1\"";
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try (ExecWatch watch =
        ns.client()
            .pods()
            .inNamespace(ns.name())
            .withName(toolsPod)
            .inContainer("tools")
            .redirectingInput()
            .writingOutput(new ByteArrayOutputStream())
            .writingError(stderr)
            .exec(
                "sh",
                "-c",
                script,
                "kopia-export",
                "/data/export/client.bin",
                Integer.toString(content.length))) {
      OutputStream stdin = watch.getInput();
      stdin.write(content);
      stdin.flush();
      assertThat(watch.exitCode().get(60, TimeUnit.SECONDS))
          .as("stderr: %s", stderr.toString(StandardCharsets.UTF_8))
          .isZero();
    }
    assertThat(
            exec(
                ns,
                toolsPod,
                "wc -c < /data/export/client.bin; stat -c %a /data/export/client.bin"))
        .isEqualTo(content.length + "\n600\n");
    assertThat(exec(ns, toolsPod, "md5sum < /data/export/client.bin").substring(0, 32))
        .isEqualTo(md5(content));
  }

  @Test
  void aSecretIsVisibleAsVolumeAndAsEnvironment(TestNamespace ns) {
    ns.client()
        .secrets()
        .inNamespace(ns.name())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .addToStringData("password", "s3cr3t-value")
                .build())
        .create();
    Container container =
        new ContainerBuilder(sleeper("reader"))
            .addNewEnv()
            .withName("FROM_SECRET")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "creds", false)
            .endValueFrom()
            .endEnv()
            .addNewVolumeMount()
            .withName("creds")
            .withMountPath("/creds")
            .withReadOnly(true)
            .endVolumeMount()
            .build();
    startPod(
        ns,
        new PodBuilder()
            .withNewMetadata()
            .withName("secret-reader")
            .endMetadata()
            .withNewSpec()
            .addToContainers(container)
            .addNewVolume()
            .withName("creds")
            .withNewSecret()
            .withSecretName("creds")
            .endSecret()
            .endVolume()
            .endSpec()
            .build());
    assertThat(exec(ns, "secret-reader", "cat /creds/password; echo; echo \"$FROM_SECRET\""))
        .isEqualTo("s3cr3t-value\ns3cr3t-value\n");
  }

  @Test
  void aPodReachesAServerOnTheHostLoopbackThroughTheReversePath(
      LocalCluster cluster, TestNamespace ns) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread serving =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket socket = server.accept()) {
                    socket.getOutputStream().write("hello-from-the-test-jvm\n".getBytes());
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "reverse-path-server");
      serving.setDaemon(true);
      serving.start();
      String address = cluster.exposeHostPort(server.getLocalPort());
      assertThat(address).isEqualTo(LocalCluster.NODE_IP + ":" + server.getLocalPort());
      String[] hostPort = address.split(":");
      assertThat(exec(ns, toolsPod, "nc -w 5 " + hostPort[0] + " " + hostPort[1] + " </dev/null"))
          .isEqualTo("hello-from-the-test-jvm\n");
    }
  }

  @Test
  void ownerReferenceGarbageCollectionDeletesTheChild(TestNamespace ns) {
    KubernetesClient client = ns.client();
    ConfigMap parent =
        client
            .configMaps()
            .inNamespace(ns.name())
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("parent").endMetadata().build())
            .create();
    client
        .configMaps()
        .inNamespace(ns.name())
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("child")
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName("parent")
                .withUid(parent.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();
    client.configMaps().inNamespace(ns.name()).withName("parent").delete();
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("child")
        .waitUntilCondition(cm -> cm == null, 60, TimeUnit.SECONDS);
  }

  private static Container sleeper(String name) {
    return container(name, "exec sleep 3600");
  }

  private static Container container(String name, String shell) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(image)
        .withImagePullPolicy("Never")
        .withCommand("sh", "-c", shell)
        .build();
  }

  /**
   * Creates a pod with an emptyDir at /data (the image runs as uid 65532; its root fs is read-only
   * to it).
   */
  private static Pod startPod(TestNamespace ns, Pod pod) {
    if (pod.getSpec().getVolumes().stream().noneMatch(v -> "data".equals(v.getName()))) {
      pod.getSpec()
          .getVolumes()
          .add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    }
    for (Container c : pod.getSpec().getContainers()) {
      c.getVolumeMounts()
          .add(new VolumeMountBuilder().withName("data").withMountPath("/data").build());
    }
    long started = System.nanoTime();
    KubernetesClient client = ns.client();
    client.pods().inNamespace(ns.name()).resource(pod).create();
    Pod ready =
        client
            .pods()
            .inNamespace(ns.name())
            .withName(pod.getMetadata().getName())
            .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), 120, TimeUnit.SECONDS);
    System.out.printf(
        "[figures] real node: pod %s Ready in %.1fs%n",
        pod.getMetadata().getName(), (System.nanoTime() - started) / 1e9);
    assertThat(ready.getSpec().getContainers())
        .allSatisfy(c -> assertThat(c.getResources().getLimits()).containsKey("memory"));
    return ready;
  }

  private static String exec(TestNamespace ns, String pod, String shell) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch =
        ns.client()
            .pods()
            .inNamespace(ns.name())
            .withName(pod)
            .writingOutput(out)
            .writingError(err)
            .exec("sh", "-c", shell)) {
      Integer code = watch.exitCode().get(60, TimeUnit.SECONDS);
      assertThat(code).as("exit of %s, stderr: %s", shell, err).isZero();
    } catch (Exception e) {
      throw new AssertionError("exec " + shell + " in " + pod + ": " + e, e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String retryExec(TestNamespace ns, String pod, String shell, String expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        String out = exec(ns, pod, shell);
        if (out.contains(expected) || System.nanoTime() > deadline) {
          return out;
        }
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(500);
    }
  }

  private static String md5(byte[] content) throws Exception {
    byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(content);
    StringBuilder hex = new StringBuilder();
    for (byte b : digest) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }
}
