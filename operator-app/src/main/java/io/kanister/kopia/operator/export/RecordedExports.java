package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a certificate renewal into the files {@code export-client} wrote ({@link ExportRecord}):
 * each recorded target whose files pin another fingerprint than the one in status gets them again,
 * with the user's current password. Targets whose pod is gone are dropped from the record.
 */
final class RecordedExports {
  private static final Logger LOG = LoggerFactory.getLogger(RecordedExports.class);

  private final KubernetesClient client;
  private final ClientExporter exporter;
  // Per Repository uid, the fingerprint every recorded target was last found current for: passes
  // between renewals read no ConfigMap (one read after a restart).
  private final java.util.Map<String, String> current =
      new java.util.concurrent.ConcurrentHashMap<>();

  RecordedExports(KubernetesClient client, ClientExporter exporter) {
    this.client = client;
    this.exporter = exporter;
  }

  int size() {
    return current.size();
  }

  /** Forgets a deleted Repository. */
  void forget(Repository repository) {
    current.remove(String.valueOf(repository.getMetadata().getUid()));
  }

  /**
   * @return how many targets received new files
   */
  int follow(
      Repository repository,
      BiFunction<Repository, KopiaUsername, Optional<SecretValue>> passwords) {
    if (repository.getStatus() == null || repository.getStatus().getServer() == null) {
      return 0;
    }
    String current = repository.getStatus().getServer().getCertificateFingerprint();
    String uid = String.valueOf(repository.getMetadata().getUid());
    if (current == null || current.equals(this.current.get(uid))) {
      return 0;
    }
    List<ExportRecord.Entry> entries = ExportRecord.read(client, repository);
    if (entries.stream().allMatch(e -> e.fingerprint().equals(current))) {
      this.current.put(uid, current);
      return 0;
    }
    List<ExportRecord.Entry> kept = new ArrayList<>();
    int written = 0;
    PodExportFailures failures = new PodExportFailures();
    for (ExportRecord.Entry entry : entries) {
      Pod pod = client.pods().inNamespace(entry.podNamespace()).withName(entry.pod()).get();
      if (pod == null) {
        continue; // the pod is gone: nothing left to follow
      }
      if (entry.fingerprint().equals(current)) {
        kept.add(entry);
        continue;
      }
      KopiaUsername user = KopiaUsername.lowercased(entry.user());
      Optional<SecretValue> password = passwords.apply(repository, user);
      boolean running = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
      if (password.isEmpty() || !running) {
        kept.add(entry); // tried again on a later pass
        continue;
      }
      try {
        exporter.export(
            ClientConnection.of(repository, user),
            password.get(),
            entry.target(),
            new ClientFiles(entry.directory()));
        kept.add(entry.withFingerprint(current));
        written++;
      } catch (RuntimeException e) {
        failures.add(
            LOG,
            user.value() + " into pod " + entry.target().namespace() + "/" + entry.target().pod(),
            e);
        kept.add(entry);
      }
    }
    ExportRecord.write(client, repository, kept);
    if (kept.stream().allMatch(e -> e.fingerprint().equals(current))) {
      this.current.put(uid, current);
    }
    failures.throwIfAny();
    return written;
  }
}
