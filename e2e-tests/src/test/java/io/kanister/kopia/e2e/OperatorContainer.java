package io.kanister.kopia.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator image as a pod runs it, for {@link StartupBenchmark}: its root filesystem unpacked
 * from the built OCI archive ({@code scripts/build-images.sh}), started with plain runc as the
 * image's user, read-only root, tmpfs on the pod's emptyDir mounts, the chart's memory limit as a
 * cgroup limit, and the image's own entrypoint (launcher, JVM options, runtime, CDS archive). It
 * shares the host's network namespace only, to reach the API server on loopback.
 */
final class OperatorContainer implements AutoCloseable {
  /** The chart's memory limit (deploy/helm values {@code resources.limits.memory}). */
  static final long MEMORY_LIMIT = 1L << 30;

  private final Path state;
  private final String id;

  private OperatorContainer(Path state, String id) {
    this.state = state;
    this.id = id;
  }

  /** Unpacks the built operator image into {@code dir}/bundle; returns the bundle. */
  static Path unpack(Path dir) throws Exception {
    String images = System.getenv("KKO_IMAGES_DIR");
    Path list =
        (images == null || images.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache/kanister-kopia-operator/images")
                : Path.of(images))
            .resolve("images.txt");
    String[] line =
        Files.readAllLines(list).stream()
            .map(l -> l.trim().split("\\s+"))
            .filter(parts -> parts.length == 2 && parts[0].contains("/kko/operator:"))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no operator image in " + list + ": run scripts/build-images.sh"));
    Path archive = Path.of(line[1]).resolveSibling("oci.tar");
    Path layout = Files.createDirectories(dir.resolve("layout"));
    run("tar", "-xf", archive.toString(), "-C", layout.toString());
    Path bundle = dir.resolve("bundle");
    // The OCI archive names its one manifest by the full reference.
    run("umoci", "unpack", "--image", layout + ":" + line[0], bundle.toString());
    return bundle;
  }

  /**
   * Creates the container (the JVM is not started yet). It finds the API server as a pod does:
   * {@code KUBERNETES_SERVICE_HOST/PORT} from {@code apiServer}, and {@code serviceAccount} (token,
   * ca.crt, namespace) mounted read-only where the kubelet mounts a projected ServiceAccount token.
   * Output goes to {@code log}.
   */
  static OperatorContainer create(
      Path bundle,
      String id,
      List<String> args,
      Map<String, String> env,
      java.net.URI apiServer,
      Path serviceAccount,
      Path log)
      throws Exception {
    // The image's user (65532) reads them; they only grant access to the benchmark's own API
    // server.
    try (var files = Files.list(serviceAccount)) {
      for (Path file : files.toList()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    ObjectMapper json = new ObjectMapper();
    Path configFile = bundle.resolve("config.json");
    Path unpacked = bundle.resolve("config.json.unpacked");
    if (!Files.exists(unpacked)) {
      Files.copy(configFile, unpacked);
    }
    ObjectNode config = (ObjectNode) json.readTree(unpacked.toFile());
    ObjectNode process = (ObjectNode) config.get("process");
    process.put("terminal", false);
    ArrayNode argv = process.putArray("args");
    argv.add("/bin/kopia-operator");
    args.forEach(argv::add);
    ArrayNode environment = (ArrayNode) process.get("env");
    environment.add("KUBERNETES_SERVICE_HOST=" + apiServer.getHost());
    environment.add("KUBERNETES_SERVICE_PORT=" + apiServer.getPort());
    env.forEach((k, v) -> environment.add(k + "=" + v));
    ((ObjectNode) config.get("root")).put("readonly", true);
    ArrayNode mounts = (ArrayNode) config.get("mounts");
    for (String dir : List.of("/tmp", "/var/lib/kopia-operator")) {
      ObjectNode tmpfs = mounts.addObject().put("destination", dir).put("type", "tmpfs");
      // An emptyDir the pod's user owns, as the kubelet makes it with the pod's fsGroup.
      tmpfs
          .put("source", "tmpfs")
          .putArray("options")
          .add("nosuid")
          .add("nodev")
          .add("mode=1777")
          .add("uid=65532")
          .add("gid=65532");
    }
    ObjectNode bind =
        mounts.addObject().put("destination", "/var/run/secrets/kubernetes.io/serviceaccount");
    bind.put("type", "bind").put("source", serviceAccount.toString());
    bind.putArray("options").add("rbind").add("ro");
    ObjectNode linux = (ObjectNode) config.get("linux");
    ArrayNode namespaces = (ArrayNode) linux.get("namespaces");
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      if ("network".equals(namespaces.get(i).path("type").asText())) {
        namespaces.remove(i);
      }
    }
    linux.put("cgroupsPath", "/kko-startup-benchmark/" + id);
    linux.putObject("resources").putObject("memory").put("limit", MEMORY_LIMIT);
    json.writeValue(configFile.toFile(), config);
    Path state = bundle.resolveSibling("runc-state");
    Process create =
        new ProcessBuilder(
                "runc", "--root", state.toString(), "create", "--bundle", bundle.toString(), id)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
      throw new IllegalStateException("runc create failed: " + Files.readString(log));
    }
    return new OperatorContainer(state, id);
  }

  /** Starts the image's entrypoint. */
  void start() throws Exception {
    runc("start", id);
  }

  /** The JVM's process id on the host. */
  long pid() throws Exception {
    return new ObjectMapper().readTree(runc("state", id)).path("pid").asLong();
  }

  @Override
  public void close() throws Exception {
    try {
      runc("kill", id, "TERM");
    } catch (IllegalStateException e) {
      // already stopped
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline && !runc("state", id).contains("\"stopped\"")) {
        Thread.sleep(100);
      }
    } finally {
      runc("delete", "--force", id);
      // The parent cgroups this class created (runc removes the container's own): under each
      // controller (cgroup v1), or the unified tree (v2).
      try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
        for (Path parent : controllers.map(c -> c.resolve("kko-startup-benchmark")).toList()) {
          try {
            Files.deleteIfExists(parent);
          } catch (IOException e) {
            // still in use or not there: harmless
          }
        }
      }
      try {
        Files.deleteIfExists(Path.of("/sys/fs/cgroup/kko-startup-benchmark"));
      } catch (IOException e) {
        // not there: harmless
      }
    }
  }

  private String runc(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("runc", "--root", state.toString()));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
