package io.kanister.kopia.operator;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.operator.maintenance.MaintenanceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the operator is started with. Each field has a flag and an environment variable; see
 * {@link OperatorOptionsParser} for the names and defaults.
 *
 * @param serverAddressOverrides Service host name to {@code host:port}, for an operator running
 *     outside the cluster (local runs, tests) that cannot resolve cluster DNS
 * @param filesystemRoots the only directories under which filesystem repositories may live
 * @param maintenance how scheduled Kopia maintenance runs (docs/maintenance.md)
 * @param reliability leader election timing (fencing) and the bounds on passes and kopia
 */
public record OperatorOptions(
    String operatorNamespace,
    RepositoryScope repositoryScope,
    Path kopiaBinary,
    String kopiaImage,
    int serverPort,
    boolean leaderElection,
    String leaseName,
    String healthBindAddress,
    int healthPort,
    int workers,
    Path workDirectory,
    Duration resyncPeriod,
    Map<String, String> serverAddressOverrides,
    Webhook webhook,
    GlobalRepository globalRepository,
    String serviceAccount,
    ResourceRequirements serverResources,
    FilesystemRoots filesystemRoots,
    MaintenanceOptions maintenance,
    ReliabilityOptions reliability) {

  /** The default of {@code --filesystem-roots}: where the chart mounts the repositories volume. */
  public static final String DEFAULT_FILESYSTEM_ROOT = "/repositories";

  /** The validating admission webhook: served by every replica when enabled. */
  public record Webhook(boolean enabled, String bindAddress, int port, Path certificateDirectory) {
    public static Webhook disabled() {
      return new Webhook(false, "0.0.0.0", 9443, Path.of("/etc/kopia-operator/webhook-tls"));
    }
  }

  /** The Secrets of the global-mode singleton, created by the operator when it is missing. */
  public record GlobalRepository(
      String locationSecret, String adminSecret, String tlsSecret, List<String> accessSecrets) {
    public static GlobalRepository defaults() {
      return new GlobalRepository("repository-global", "", "", List.of());
    }
  }
}
