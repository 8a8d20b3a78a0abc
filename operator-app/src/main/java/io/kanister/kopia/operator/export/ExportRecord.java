package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.kopia.model.repository.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code export-client} wrote predefined users' client files, so that a certificate renewal
 * can write them again: the ConfigMap {@code <repository>-client-exports} beside the Repository,
 * owned by it, one line per target ({@code user namespace pod container folder fingerprint}). No
 * line holds a secret: the password is read from the access Secret again at each write.
 */
public final class ExportRecord {
  static final String KEY = "exports";

  /** Bounded: the newest exports win; an older one past the cap is simply not followed. */
  static final int MAX_ENTRIES = 256;

  private ExportRecord() {}

  /** One export-client target and the certificate its files pin. */
  public record Entry(
      String user,
      String podNamespace,
      String pod,
      String container,
      String directory,
      String fingerprint) {
    String line() {
      return String.join(" ", user, podNamespace, pod, container, directory, fingerprint);
    }

    boolean sameTarget(Entry other) {
      return user.equals(other.user)
          && podNamespace.equals(other.podNamespace)
          && pod.equals(other.pod)
          && container.equals(other.container)
          && directory.equals(other.directory);
    }

    Entry withFingerprint(String current) {
      return new Entry(user, podNamespace, pod, container, directory, current);
    }

    PodTarget target() {
      return new PodTarget(podNamespace, pod, container);
    }

    static Optional<Entry> parse(String line) {
      String[] f = line.trim().split(" ");
      return f.length == 6
          ? Optional.of(new Entry(f[0], f[1], f[2], f[3], f[4], f[5]))
          : Optional.empty();
    }
  }

  public static String name(Repository repository) {
    return repository.getMetadata().getName() + "-client-exports";
  }

  public static List<Entry> read(KubernetesClient client, Repository repository) {
    ConfigMap map = get(client, repository);
    if (map == null || map.getData() == null || map.getData().get(KEY) == null) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    map.getData().get(KEY).lines().forEach(line -> Entry.parse(line).ifPresent(entries::add));
    return entries;
  }

  /** Adds or replaces the entry for the same target. */
  public static void remember(KubernetesClient client, Repository repository, Entry entry) {
    List<Entry> entries = new ArrayList<>(read(client, repository));
    entries.removeIf(entry::sameTarget);
    entries.add(entry);
    while (entries.size() > MAX_ENTRIES) {
      entries.remove(0);
    }
    write(client, repository, entries);
  }

  public static void write(KubernetesClient client, Repository repository, List<Entry> entries) {
    StringBuilder text = new StringBuilder();
    entries.forEach(e -> text.append(e.line()).append('\n'));
    ConfigMap existing = get(client, repository);
    if (existing == null) {
      ConfigMap created =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withNamespace(repository.getMetadata().getNamespace())
              .withName(name(repository))
              .endMetadata()
              .withData(Map.of(KEY, text.toString()))
              .build();
      // Deleted with its Repository by the garbage collector.
      OwnerReferences.setController(repository, created);
      client.resource(created).create();
      return;
    }
    // An update carries the resourceVersion it read: two writers get a conflict, not a lost line.
    existing.setData(Map.of(KEY, text.toString()));
    client.resource(existing).update();
  }

  private static ConfigMap get(KubernetesClient client, Repository repository) {
    return client
        .configMaps()
        .inNamespace(repository.getMetadata().getNamespace())
        .withName(name(repository))
        .get();
  }
}
