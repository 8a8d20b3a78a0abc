package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.S3TestServer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The issue 13 §3 invariants for a Repository whose operator runs in a pod from the chart (the
 * in-JVM scenarios use operator-app's RepositoryInvariants): read from the storage itself, the
 * identity is the recorded one and the format blob byte-identical; no blob the repository had is
 * gone; no secret value in the status or an Event; and, read from the operator pod's {@code
 * /metrics}, a pass at steady state runs no kopia write.
 */
final class ServedRepositoryInvariants {
  private static final Pattern KOPIA_COUNT =
      Pattern.compile("^kopia_command_duration_seconds_count\\{(.*)}\\s+(\\S+)$");
  private static final Pattern RECONCILES =
      Pattern.compile("^controller_reconcile_total\\{.*}\\s+(\\S+)$");
  private static final Pattern VERB = Pattern.compile("verb=\"([^\"]*)\"");

  private final KubernetesClient client;
  private final ChartInstall chart;
  private final String namespace;
  private final String name;
  private final String target;
  private final S3TestServer s3;
  private final S3Bucket bucket;
  private final String prefix;
  private final String uniqueId;
  private final byte[] format;
  private Set<String> blobs;

  ServedRepositoryInvariants(
      KubernetesClient client,
      ChartInstall chart,
      String namespace,
      String name,
      String target,
      S3TestServer s3,
      S3Bucket bucket,
      String prefix)
      throws Exception {
    this.client = client;
    this.chart = chart;
    this.namespace = namespace;
    this.name = name;
    this.target = target;
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.uniqueId =
        E2eSupport.get(client, namespace, name).getStatus().getRepository().getUniqueId();
    this.format = s3.object(bucket, prefix + "kopia.repository");
    this.blobs = blobs();
  }

  /** The repository's objects in the bucket. */
  Set<String> blobs() {
    return new java.util.TreeSet<>(
        s3.keys(bucket).stream().filter(k -> k.startsWith(prefix)).toList());
  }

  /**
   * Every invariant after {@code scenario}; prints one {@code [invariants]} line. The blobs seen
   * now are the baseline of the next scenario.
   */
  void check(String scenario, Collection<String> secrets) throws Exception {
    Repository repository = E2eSupport.get(client, namespace, name);
    assertThat(repository.getStatus().getRepository().getUniqueId())
        .as("%s: recorded identity", scenario)
        .isEqualTo(uniqueId);
    assertThat(s3.object(bucket, prefix + "kopia.repository"))
        .as("%s: format blob", scenario)
        .isEqualTo(format);
    Set<String> after = blobs();
    assertThat(after).as("%s: blobs removed", scenario).containsAll(blobs);

    String status = Serialization.asJson(repository.getStatus());
    List<String> events =
        Stream.of(namespace, target)
            .flatMap(ns -> client.v1().events().inNamespace(ns).list().getItems().stream())
            .map(e -> e.getReason() + " " + e.getMessage())
            .toList();
    for (String secret : secrets) {
      assertThat(status.contains(secret)).as("%s: a secret in status", scenario).isFalse();
      assertThat(events).as("%s: a secret in Events", scenario).noneMatch(e -> e.contains(secret));
    }

    Map<String, Double> steady = writesDuringOnePass();
    assertThat(steady).as("%s: kopia writes at steady state", scenario).isEmpty();
    System.out.printf(
        "[invariants] %s: identity %s and format blob (%d bytes) unchanged; %d blobs before, %d"
            + " after, none removed; %d secret values absent from status and %d Events; a steady"
            + " pass ran no kopia write%n",
        scenario,
        uniqueId.substring(0, 8),
        format.length,
        blobs.size(),
        after.size(),
        secrets.size(),
        events.size());
    blobs = after;
  }

  /** A new label on the location Secret (a watched Secret): one pass, no value changed. */
  static void askForAPass(KubernetesClient client, String namespace) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName("location")
        .edit(
            s -> {
              if (s.getMetadata().getLabels() == null) {
                s.getMetadata().setLabels(new HashMap<>());
              }
              s.getMetadata().getLabels().put("faults-pass", Long.toString(System.nanoTime()));
              return s;
            });
  }

  /**
   * The kopia write commands the operator ran during one pass it made for an unchanged input: a
   * label on the location Secret (a watched Secret) asks for the pass without changing any value.
   */
  private Map<String, Double> writesDuringOnePass() throws Exception {
    String before = chart.scrapeMetrics();
    double reconciles = reconciles(before);
    askForAPass(client, namespace);
    String after =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(300))
            .until(chart::scrapeMetrics, m -> reconciles(m) > reconciles);
    Map<String, Double> was = writeCounts(before);
    Map<String, Double> now = writeCounts(after);
    Map<String, Double> ran = new TreeMap<>();
    now.forEach(
        (verb, count) -> {
          double delta = count - was.getOrDefault(verb, 0.0);
          if (delta > 0) {
            ran.put(verb, delta);
          }
        });
    return ran;
  }

  private static double reconciles(String metrics) {
    return metrics
        .lines()
        .map(RECONCILES::matcher)
        .filter(Matcher::matches)
        .mapToDouble(m -> Double.parseDouble(m.group(1)))
        .sum();
  }

  /** kopia commands run so far, by verb, only the verbs that change the repository or its users. */
  private static Map<String, Double> writeCounts(String metrics) {
    Map<String, Double> counts = new TreeMap<>();
    metrics
        .lines()
        .map(KOPIA_COUNT::matcher)
        .filter(Matcher::matches)
        .forEach(
            m -> {
              Matcher verb = VERB.matcher(m.group(1));
              if (verb.find() && writes(verb.group(1))) {
                counts.merge(verb.group(1), Double.parseDouble(m.group(2)), Double::sum);
              }
            });
    return counts;
  }

  /**
   * A kopia verb that changes the repository or its server users (RepositoryInvariants' list; of
   * maintenance only a run, since {@code maintenance info} reads).
   */
  static boolean writes(String verb) {
    return verb.startsWith("maintenance run")
        || verb.matches(".*\\b(create|set|add|delete|remove|change-password|gc|rewrite)\\b.*");
  }
}
