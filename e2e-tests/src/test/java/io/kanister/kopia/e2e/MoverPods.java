package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Data-mover pods (kopia plus busybox) and the kopia client commands a Kanister data mover runs in
 * them, with the exported client files: the password travels from the file into KOPIA_PASSWORD,
 * never onto a command line.
 */
final class MoverPods {
  /** The folder a workload's export annotation names; each Repository writes a folder in it. */
  static final String CLIENT_ROOT = "/run/kopia-client";

  /** Where the files for the Repository named {@code repo} land: {@code <root>/<repository>}. */
  static final String CLIENT_DIR = CLIENT_ROOT + "/repo";

  private static final Pattern SNAPSHOT_ID = Pattern.compile("\"id\":\\s*\"([0-9a-f]+)\"");

  private MoverPods() {}

  /**
   * A dynamic user's workload: the ServiceAccount {@code db-backup} and the StatefulSet {@code db}
   * (label {@code repo.kanister.io/authn-mode: service-account}, client files exported into {@link
   * #CLIENT_ROOT}) running one data-mover pod {@code db-0}.
   */
  static void createExportedStatefulSet(KubernetesClient admin, String namespace, String image) {
    admin
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("db-backup")
                .endMetadata()
                .build())
        .create();
    admin
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .withLabels(Map.of("repo.kanister.io/authn-mode", "service-account"))
                .withAnnotations(Map.of("repo.kanister.io/client-export-path", CLIENT_ROOT))
                .endMetadata()
                .withNewSpec()
                .withServiceName("db")
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "db")
                .endMetadata()
                .withSpec(spec(image, "mover", "db-backup"))
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /** A pod spec running the data-mover image, with writable /data and the client folder. */
  static PodSpec spec(String image, String container, String serviceAccount) {
    Container mover =
        new ContainerBuilder()
            .withName(container)
            .withImage(image)
            .withImagePullPolicy("Never")
            .withCommand("sh", "-c", "exec sleep 3600")
            .addNewEnv()
            .withName("HOME")
            .withValue("/data/home")
            .endEnv()
            .addNewEnv()
            .withName("KOPIA_CHECK_FOR_UPDATES")
            .withValue("false")
            .endEnv()
            .addNewEnv()
            .withName("KOPIA_CONFIG_PATH")
            .withValue(CLIENT_DIR + "/repository.config")
            .endEnv()
            .withNewResources()
            .withLimits(Map.of("memory", new Quantity("256Mi")))
            .withRequests(Map.of("memory", new Quantity("32Mi")))
            .endResources()
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/data")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("client")
            .withMountPath(CLIENT_ROOT)
            .endVolumeMount()
            .withNewSecurityContext()
            .withReadOnlyRootFilesystem(true)
            .withAllowPrivilegeEscalation(false)
            .endSecurityContext()
            .build();
    return new PodSpecBuilder()
        .withServiceAccountName(serviceAccount)
        .withTerminationGracePeriodSeconds(1L)
        .addToContainers(mover)
        .addNewVolume()
        .withName("data")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("client")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .build();
  }

  /** Runs {@code sh -c shell} in the pod; returns exit code, stdout and stderr. */
  static Result exec(KubernetesClient client, String namespace, String pod, String shell) {
    return execArgs(client, namespace, pod, "sh", "-c", shell);
  }

  /** Runs a command (no shell) in the pod's first container. */
  static Result execArgs(KubernetesClient client, String namespace, String pod, String... command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch =
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod)
            .writingOutput(out)
            .writingError(err)
            .exec(command)) {
      int code = watch.exitCode().get(180, TimeUnit.SECONDS);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError("exec in " + namespace + "/" + pod + ": " + e, e);
    }
  }

  static String ok(KubernetesClient client, String namespace, String pod, String shell) {
    Result result = exec(client, namespace, pod, shell);
    assertThat(result.code()).as("%s in %s: %s", shell, pod, result.err()).isZero();
    return result.out();
  }

  /** kopia with the exported files: the config from KOPIA_CONFIG_PATH, the password file. */
  static Result kopia(KubernetesClient client, String namespace, String pod, String args) {
    return exec(
        client,
        namespace,
        pod,
        "KOPIA_PASSWORD=\"$(cat " + CLIENT_DIR + "/password)\" exec kopia " + args);
  }

  /**
   * Writes random data into /data/src, snapshots it through the server and restores it into
   * /data/restored; asserts the restored bytes equal the original. Returns the snapshot id.
   */
  static String snapshotAndRestore(KubernetesClient client, String namespace, String pod) {
    ok(
        client,
        namespace,
        pod,
        "mkdir -p /data/src /data/home && head -c 400000 /dev/urandom > /data/src/table.ibd"
            + " && echo row > /data/src/small.txt");
    long started = System.nanoTime();
    Result created = kopia(client, namespace, pod, "snapshot create /data/src --json");
    assertThat(created.code()).as("snapshot create in %s: %s", pod, created.err()).isZero();
    Matcher id = SNAPSHOT_ID.matcher(created.out());
    assertThat(id.find()).as("snapshot id in %s", created.out()).isTrue();
    String snapshot = id.group(1);
    Result restored =
        kopia(client, namespace, pod, "snapshot restore " + snapshot + " /data/restored");
    assertThat(restored.code()).as("restore in %s: %s", pod, restored.err()).isZero();
    System.out.printf(
        "[figures] %s: snapshot create + restore through the server %.1fs%n",
        pod, (System.nanoTime() - started) / 1e9);
    ok(
        client,
        namespace,
        pod,
        "cmp /data/src/table.ibd /data/restored/table.ibd"
            + " && cmp /data/src/small.txt /data/restored/small.txt");
    return snapshot;
  }

  record Result(int code, String out, String err) {}
}
