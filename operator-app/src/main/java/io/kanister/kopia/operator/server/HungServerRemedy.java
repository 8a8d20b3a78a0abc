package io.kanister.kopia.operator.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restarts a Kopia server that runs but does not answer: the backstop behind the liveness probe
 * ({@link ServerLivenessProbe}), which the kubelet fails for a frozen process (SIGSTOP, a deadlock)
 * long before. This catches a hang where kopia's metrics page still answers but the control API
 * does not, so when the operator's probe has failed for {@code patience} while the Deployment
 * reports the pod available, the operator deletes the pod and the ReplicaSet starts a new one. At
 * most one restart per {@code patience}, so a server that is slow to open a large repository is not
 * restarted in a loop.
 */
public final class HungServerRemedy {
  /** The default patience: far above a healthy server's start, well below a backup window. */
  public static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(3);

  private static final long GRACE_SECONDS = 5;

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration patience;
  private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastRestart = new ConcurrentHashMap<>();

  public HungServerRemedy(KubernetesClient client, Clock clock, Duration patience) {
    this.client = client;
    this.clock = clock;
    this.patience = patience;
  }

  /** What was done about a server that did not answer; its text goes into the condition. */
  public record Action(boolean restarted, String note) {}

  /**
   * Called when the control probe of an available server failed.
   *
   * @param key the Repository's uid
   */
  public Action notAnswering(String key, Deployment deployment) {
    Instant now = clock.instant();
    Instant since = failingSince.computeIfAbsent(key, k -> now);
    Duration silent = Duration.between(since, now);
    Instant restarted = lastRestart.get(key);
    boolean calm = restarted == null || !now.isBefore(restarted.plus(patience));
    if (silent.compareTo(patience) < 0 || !calm) {
      // Stable text (no running count), so that waiting writes no new status every pass.
      return new Action(
          false,
          "; no answer since "
              + since
              + " (its pod is restarted after "
              + patience.toSeconds()
              + "s without one)");
    }
    List<String> deleted = deletePods(deployment);
    lastRestart.put(key, now);
    failingSince.put(key, now);
    return new Action(
        !deleted.isEmpty(),
        "; no answer for "
            + silent.toSeconds()
            + "s while its pod ran: deleted pod "
            + String.join(", ", deleted)
            + " so that the Deployment starts a new one");
  }

  /** The server answered: its silence, if any, is over. */
  public void answering(String key) {
    failingSince.remove(key);
  }

  /** How many Repositories' silence or restart times are held. */
  public int size() {
    java.util.Set<String> keys = new java.util.HashSet<>(failingSince.keySet());
    keys.addAll(lastRestart.keySet());
    return keys.size();
  }

  public void forget(String key) {
    failingSince.remove(key);
    lastRestart.remove(key);
  }

  private List<String> deletePods(Deployment deployment) {
    String namespace = deployment.getMetadata().getNamespace();
    Map<String, String> selector =
        Optional.ofNullable(deployment.getSpec().getSelector().getMatchLabels()).orElse(Map.of());
    List<Pod> pods = client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
    List<String> names =
        pods.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .map(p -> p.getMetadata().getName())
            .toList();
    for (String name : names) {
      // A short grace: a frozen process never handles SIGTERM, the kubelet kills it after this.
      client.pods().inNamespace(namespace).withName(name).withGracePeriod(GRACE_SECONDS).delete();
    }
    return names;
  }
}
