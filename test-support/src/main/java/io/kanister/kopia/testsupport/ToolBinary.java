package io.kanister.kopia.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a real binary installed by {@code scripts/install-tools.sh}.
 *
 * <p>Lookup order: the environment variable (for example {@code KOPIA_BIN}), then {@code
 * $KKO_TOOLS_DIR/bin/<name>}, then the default cache {@code
 * ~/.cache/kanister-kopia-operator/tools/bin/<name>}.
 */
public enum ToolBinary {
  KOPIA("kopia", "KOPIA_BIN"),
  KUBE_CONTROLLER_MANAGER("kube-controller-manager", "KUBE_CONTROLLER_MANAGER_BIN"),
  KUBE_SCHEDULER("kube-scheduler", "KUBE_SCHEDULER_BIN"),
  KUBELET("kubelet", "KUBELET_BIN"),
  KUBE_PROXY("kube-proxy", "KUBE_PROXY_BIN"),
  ETCD("etcd", "ETCD_BIN"),
  KUBE_APISERVER("kube-apiserver", "KUBE_APISERVER_BIN"),
  HELM("helm", "HELM_BIN");

  private final String fileName;
  private final String envVar;

  ToolBinary(String fileName, String envVar) {
    this.fileName = fileName;
    this.envVar = envVar;
  }

  public String fileName() {
    return fileName;
  }

  public Optional<Path> find() {
    String fromEnv = System.getenv(envVar);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return executable(Path.of(fromEnv));
    }
    return executable(toolsDir().resolve("bin").resolve(fileName));
  }

  /** The binary, or a failure (CI) / skip (local) that says how to install it. */
  public Path require() {
    return find()
        .orElseThrow(
            () ->
                RealParts.missing(
                    fileName,
                    "Run scripts/install-tools.sh (or set "
                        + envVar
                        + " to the binary); looked in "
                        + toolsDir().resolve("bin")));
  }

  public static Path toolsDir() {
    String dir = System.getenv("KKO_TOOLS_DIR");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("kanister-kopia-operator").resolve("tools");
  }

  private static Optional<Path> executable(Path path) {
    return Files.isExecutable(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
  }
}
