package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.testsupport.BackgroundProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs one container of a pod template as a local process, the way a kubelet would, so tests
 * execute exactly the command, args, environment and Secret volumes the operator wrote.
 *
 * <p>What a kubelet does that this does not: images (the entry point is mapped by file name to a
 * local binary), networking (an arg rewrite moves a listen address to loopback), and users. Paths
 * under a volume mount are moved under a per-pod folder, in args and env values alike.
 */
public final class LocalPod implements AutoCloseable {
  private final BackgroundProcess process;
  private final Path root;

  private LocalPod(BackgroundProcess process, Path root) {
    this.process = process;
    this.root = root;
  }

  /**
   * Starts {@code containerName} of {@code template}.
   *
   * @param binaries local binaries by the file name of the container's command, e.g. {@code kopia}
   * @param argRewrite applied to each arg after path mapping, e.g. to move a listen address
   */
  public static LocalPod start(
      KubernetesClient client,
      String namespace,
      PodTemplateSpec template,
      String containerName,
      Map<String, Path> binaries,
      UnaryOperator<String> argRewrite,
      Path root) {
    Container container =
        template.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals(containerName))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no container " + containerName));
    SecretReader secrets = new SecretReader(client, namespace);
    Map<String, Volume> volumes = new HashMap<>();
    template.getSpec().getVolumes().forEach(v -> volumes.put(v.getName(), v));
    List<String> mountPaths = new ArrayList<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      mountPaths.add(mount.getMountPath());
      materialize(volumes.get(mount.getName()), root.resolve(strip(mount.getMountPath())), secrets);
    }
    mountPaths.sort(Comparator.comparingInt(String::length).reversed());
    UnaryOperator<String> mapPath = value -> mapped(value, mountPaths, root);

    List<String> argv = new ArrayList<>();
    List<String> command = container.getCommand();
    if (command.isEmpty()) {
      throw new IllegalArgumentException("container " + containerName + " must set its command");
    }
    String entry = Path.of(command.get(0)).getFileName().toString();
    Path binary = binaries.get(entry);
    if (binary == null) {
      throw new IllegalArgumentException("no local binary for " + command.get(0));
    }
    argv.add(binary.toString());
    command.stream().skip(1).map(mapPath).map(argRewrite).forEach(argv::add);
    container.getArgs().stream().map(mapPath).map(argRewrite).forEach(argv::add);

    Map<String, String> env = new HashMap<>();
    env.put("HOME", root.resolve("home").toString());
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), mapPath.apply(valueOf(var, secrets)));
    }
    try {
      Files.createDirectories(root.resolve("home"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LocalPod(
        BackgroundProcess.start(argv, env, root.resolve(containerName + ".log")), root);
  }

  public BackgroundProcess process() {
    return process;
  }

  public Path root() {
    return root;
  }

  @Override
  public void close() {
    process.close();
  }

  private static String valueOf(EnvVar var, SecretReader secrets) {
    if (var.getValueFrom() == null) {
      return var.getValue() == null ? "" : var.getValue();
    }
    SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
    if (ref == null) {
      throw new IllegalArgumentException(
          "env " + var.getName() + ": only secretKeyRef is supported");
    }
    return new String(
        secrets.read(ref.getName()).get(ref.getKey()), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void materialize(Volume volume, Path target, SecretReader secrets) {
    try {
      Files.createDirectories(target);
      if (volume.getEmptyDir() != null) {
        return;
      }
      if (volume.getSecret() == null) {
        throw new IllegalArgumentException(
            "volume " + volume.getName() + ": only secret and emptyDir");
      }
      Map<String, byte[]> data = secrets.read(volume.getSecret().getSecretName());
      List<KeyToPath> items = volume.getSecret().getItems();
      if (items == null || items.isEmpty()) {
        for (Map.Entry<String, byte[]> entry : data.entrySet()) {
          Files.write(target.resolve(entry.getKey()), entry.getValue());
        }
      } else {
        for (KeyToPath item : items) {
          Path file = target.resolve(item.getPath());
          Files.createDirectories(file.getParent());
          Files.write(file, data.get(item.getKey()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String mapped(String value, List<String> mountPaths, Path root) {
    for (String mount : mountPaths) {
      int at = value.indexOf(mount);
      if (at >= 0 && (at == 0 || value.charAt(at - 1) == '=')) {
        return value.substring(0, at)
            + root.resolve(strip(mount))
            + value.substring(at + mount.length());
      }
    }
    return value;
  }

  private static String strip(String absolute) {
    return absolute.startsWith("/") ? absolute.substring(1) : absolute;
  }

  /** Reads Secrets once each; values stay in memory and in the pod folder only. */
  private static final class SecretReader {
    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Map<String, byte[]>> cache = new HashMap<>();

    SecretReader(KubernetesClient client, String namespace) {
      this.client = client;
      this.namespace = namespace;
    }

    Map<String, byte[]> read(String name) {
      return cache.computeIfAbsent(
          name,
          n -> {
            Secret secret = client.secrets().inNamespace(namespace).withName(n).get();
            if (secret == null) {
              throw new IllegalStateException("Secret " + namespace + "/" + n + " does not exist");
            }
            Map<String, byte[]> data = new HashMap<>();
            if (secret.getData() != null) {
              secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
            }
            if (secret.getStringData() != null) {
              secret
                  .getStringData()
                  .forEach(
                      (k, v) -> data.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return data;
          });
    }
  }
}
