package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.workload.LabelledWorkloads;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands dynamic users their client files: for a labelled workload annotated with {@value
 * #PATH_ANNOTATION}, the client {@code repository.config} and the current token are written into
 * {@code <path>/<repository-name>/} of each of its running pods, again after every token rotation,
 * every server certificate renewal (the fingerprint is part of what was written) and for every new
 * pod. What was last written is remembered as a digest (of the token and the pod), never the token
 * itself.
 */
public final class WorkloadReexport {
  /** Where in the pod the files go; the workload opts in by setting it. */
  public static final String PATH_ANNOTATION = "repo.kanister.io/client-export-path";

  /** Which container receives them; the first container when absent. */
  public static final String CONTAINER_ANNOTATION = "repo.kanister.io/client-export-container";

  private static final Logger LOG = LoggerFactory.getLogger(WorkloadReexport.class);

  private final KubernetesClient client;
  private final ClientExporter exporter;

  /** By Repository uid: what was last written into each pod ({@code user/podUid} to digest). */
  private final Map<String, Map<String, String>> exported = new ConcurrentHashMap<>();

  private final LabelledWorkloads.WorkloadLookup workloads;
  private final GlobalClientSecret globalClient;
  private final RecordedExports recorded;

  /** Reads workloads from the API server. */
  public WorkloadReexport(KubernetesClient client, ClientExporter exporter) {
    this(client, exporter, new LabelledWorkloads(client).lookup());
  }

  /** Reads workloads through {@code workloads}, e.g. the operator's informer caches. */
  public WorkloadReexport(
      KubernetesClient client,
      ClientExporter exporter,
      LabelledWorkloads.WorkloadLookup workloads) {
    this.client = client;
    this.exporter = exporter;
    this.workloads = workloads;
    this.globalClient = new GlobalClientSecret(client);
    this.recorded = new RecordedExports(client, exporter);
  }

  /**
   * Writes again the files {@code export-client} wrote for predefined users, when they pin an older
   * certificate than the server's ({@link ExportRecord}).
   *
   * @return how many targets received files
   */
  public int followRecordedExports(
      Repository repository,
      BiFunction<Repository, KopiaUsername, Optional<SecretValue>> passwords) {
    return recorded.follow(repository, passwords);
  }

  /** One dynamic user and the workload it was made for. */
  public record DynamicUser(
      String kind, String namespace, String workload, KopiaUsername username) {}

  /**
   * Exports to every running pod of each annotated workload whose files are missing or stale.
   *
   * @param passwords the current password of a user, as the last user sync issued it
   * @return how many pods received files in this pass
   */
  public int reexport(
      Repository repository,
      List<DynamicUser> users,
      BiFunction<Repository, KopiaUsername, Optional<SecretValue>> passwords) {
    Map<String, String> exported =
        this.exported.computeIfAbsent(uid(repository), k -> new ConcurrentHashMap<>());
    Set<String> seen = new HashSet<>();
    PodExportFailures failures = new PodExportFailures();
    int written = 0;
    for (DynamicUser user : users) {
      Optional<HasMetadata> workload = workload(user);
      Optional<String> path = workload.map(w -> annotation(w, PATH_ANNOTATION));
      Optional<SecretValue> password = passwords.apply(repository, user.username());
      if (workload.isEmpty() || path.isEmpty() || path.get() == null || password.isEmpty()) {
        continue;
      }
      ClientConnection connection;
      try {
        connection = ClientConnection.of(repository, user.username());
      } catch (IllegalStateException notServingYet) {
        return written;
      }
      for (Pod pod : runningPods(workload.get(), user.namespace())) {
        String key = user.username().value() + "/" + pod.getMetadata().getUid();
        seen.add(key);
        ClientFiles files = new ClientFiles(path.get()).forRepository(name(repository));
        String digest = digest(password.get(), files.directory(), connection);
        if (digest.equals(exported.get(key))) {
          continue;
        }
        String container =
            Optional.ofNullable(annotation(workload.get(), CONTAINER_ANNOTATION))
                .orElse(pod.getSpec().getContainers().get(0).getName());
        try {
          exporter.export(
              connection,
              password.get(),
              new PodTarget(user.namespace(), pod.getMetadata().getName(), container),
              files);
          exported.put(key, digest);
          written++;
        } catch (RuntimeException e) {
          failures.add(
              LOG,
              user.username().value()
                  + " into pod "
                  + user.namespace()
                  + "/"
                  + pod.getMetadata().getName(),
              e);
        }
      }
    }
    // Pods that are gone, or no longer opted in, need no memory.
    exported.keySet().retainAll(seen);
    failures.throwIfAny();
    return written;
  }

  /**
   * The users whose workload exists but has no {@value #PATH_ANNOTATION}: registered in Kopia, yet
   * nothing delivers their token (it lives only in the operator's memory), so they cannot be used.
   */
  public List<DynamicUser> withoutExportPath(List<DynamicUser> users) {
    return users.stream()
        .filter(
            u ->
                workload(u)
                    .map(
                        w ->
                            annotation(w, PATH_ANNOTATION) == null
                                || annotation(w, PATH_ANNOTATION).isBlank())
                    .orElse(false))
        .toList();
  }

  /**
   * For {@code UsersReady}: a plain note naming up to three users without an export path, or empty.
   */
  public static String undeliveredNote(List<DynamicUser> undelivered) {
    if (undelivered.isEmpty()) {
      return "";
    }
    String named =
        undelivered.stream()
            .limit(3)
            .map(u -> u.kind() + " " + u.namespace() + "/" + u.workload())
            .collect(java.util.stream.Collectors.joining(", "));
    return "; "
        + undelivered.size()
        + " dynamic user(s) cannot be used: their workload has no "
        + PATH_ANNOTATION
        + " annotation, so no credential reaches it ("
        + named
        + (undelivered.size() > 3 ? ", ..." : "")
        + "); add the annotation (docs/rotations.md).";
  }

  /**
   * Global mode: the shared credential (the first of {@code users}, the operator's own) goes into
   * the Secret {@link GlobalClientSecret#name}, since there is no target namespace to export into.
   */
  public boolean publishGlobal(
      Repository repository,
      List<DynamicUser> users,
      BiFunction<Repository, KopiaUsername, Optional<SecretValue>> passwords) {
    return globalClient.publish(repository, users, passwords);
  }

  /** How many Repositories' export digests and recorded-export memos are held. */
  public int size() {
    return exported.size() + recorded.size();
  }

  /** Forgets a deleted Repository's exports. */
  public void forget(Repository repository) {
    exported.remove(uid(repository));
    recorded.forget(repository);
  }

  private static String uid(Repository repository) {
    return String.valueOf(repository.getMetadata().getUid());
  }

  private Optional<HasMetadata> workload(DynamicUser user) {
    return workloads.find(user.kind(), user.namespace(), user.workload());
  }

  private List<Pod> runningPods(HasMetadata workload, String namespace) {
    LabelSelector selector = selectorOf(workload);
    if (selector == null
        || selector.getMatchLabels() == null
        || selector.getMatchLabels().isEmpty()) {
      return List.of();
    }
    return client
        .pods()
        .inNamespace(namespace)
        .withLabels(selector.getMatchLabels())
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  private static LabelSelector selectorOf(HasMetadata workload) {
    if (workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
      return s.getSpec().getSelector();
    }
    if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
      return d.getSpec().getSelector();
    }
    if (workload instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet d) {
      return d.getSpec().getSelector();
    }
    return null;
  }

  private static String annotation(HasMetadata object, String key) {
    var annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  /**
   * What the files hold: the password, where they go, and the connection including the pinned
   * certificate fingerprint, so that a renewed server certificate is written again. Kept in memory
   * only; the password is a high-entropy token.
   */
  static String digest(SecretValue password, String directory, ClientConnection connection) {
    return Sha256.hex(
        password.reveal(),
        directory,
        connection.serverUrl(),
        connection.fingerprint().hex(),
        connection.username().value());
  }

  private static String name(Repository repository) {
    return repository.getMetadata().getName();
  }
}
