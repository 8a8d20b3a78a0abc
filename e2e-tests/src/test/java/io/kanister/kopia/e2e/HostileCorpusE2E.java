package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.E2eSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.e2e.corpus.HostileSecrets;
import io.kanister.kopia.e2e.corpus.SchemaLimits;
import io.kanister.kopia.e2e.corpus.SecretCase;
import io.kanister.kopia.e2e.corpus.SecretCase.Role;
import io.kanister.kopia.e2e.corpus.SecretCase.Stop;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.FailedUser;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.WebhookRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The hostile-input corpus (docs/testing.md): every limit of the CRD schema, and a table of hostile
 * Secrets ({@link HostileSecrets}), through the real API server, the real webhook, the operator in
 * this JVM and the real kopia. Each case must be refused by the API server or the webhook, or end
 * in a False condition (or a failed user) naming the object and the key; a marker planted in every
 * secret value must appear in no status, Event, operator log line or kopia log file; and a healthy
 * Repository on real S3, Ready before the corpus, must stay Ready, unchanged, after every batch.
 */
@RealKubernetes
@RealKopia
@RealS3
class HostileCorpusE2E {
  private static final Duration READY = Duration.ofSeconds(120);
  private static final Duration SETTLE = Duration.ofSeconds(40);

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Map<String, String> markers = new LinkedHashMap<>();
  private final Map<String, Integer> byCategory = new TreeMap<>();
  private String namespace;
  private KubernetesClient client;
  private String healthyTransition;
  // One storage has one Repository (webhook and reconciler): cases that are not about the
  // location each get a location of their own under here.
  private Path ownLocations;

  @Test
  void everyHostileInputIsStoppedNamedAndNeverShown(
      TestNamespace ns, KopiaSandbox sandbox, S3Bucket bucket) throws Exception {
    long started = System.nanoTime();
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    client = ns.client();
    namespace = ns.name();
    LocalOperator.installCrd(client);
    Path fsRoot = sandbox.newDir("fs-root");
    ownLocations = sandbox.newDir("own-locations");
    Path outside = Files.createDirectories(Path.of("target", "corpus-outside").toAbsolutePath());
    Files.createSymbolicLink(fsRoot.resolve("link-out"), outside);
    HostileSecrets corpus = new HostileSecrets(bucket, fsRoot, outside);

    RepositoryFixtures.create(
        client,
        RepositoryFixtures.s3Location(namespace, "healthy-location", bucket, "healthy/"),
        RepositoryFixtures.admin(namespace, "healthy-admin"),
        RepositoryFixtures.tls(namespace, "healthy-tls", ns.cluster().pki(), "repo-healthy"),
        RepositoryFixtures.filesystemLocation(
            namespace, "shared-fs", sandbox.newDir("shared").toString(), "shared-pw"),
        RepositoryFixtures.filesystemLocation(
            namespace, "schema-location", sandbox.newDir("schema").toString(), "shared-pw"),
        RepositoryFixtures.secret(namespace, "chain-tls", "kubernetes.io/tls", corpus.chainTls()));
    OperatorOptions options =
        LocalOperator.options(
            namespace,
            RepositoryScope.NAMESPACE,
            sandbox.binary(),
            sandbox.newDir("work"),
            Duration.ofSeconds(30),
            LocalWebhook.flags(ns, sandbox));
    Path local = sandbox.newDir("local");
    try (LocalOperator operator = LocalOperator.start(client, options, local);
        WebhookRegistration ignored = LocalWebhook.register(ns, options, "kopia-operator-corpus")) {
      client
          .resource(
              RepositoryFixtures.repository(
                  namespace,
                  "healthy",
                  "healthy",
                  "healthy-location",
                  "healthy-admin",
                  "healthy-tls"))
          .create();
      awaitCondition(client, namespace, "healthy", "RepositoryReady", "True", READY);
      awaitCondition(client, namespace, "healthy", "ServerReady", "True", READY);
      healthyTransition = readyCondition("healthy").getLastTransitionTime();
      awaitWebhook();

      long schemaCases = schemaBatch();
      assertHealthy("schema");

      List<SecretCase> secretCases = corpus.cases();
      List<SecretCase> perRepository =
          secretCases.stream().filter(c -> c.role() != Role.ACCESS).toList();
      repositoryBatch(perRepository);
      assertHealthy("location, admin and TLS Secrets");

      accessBatch(secretCases.stream().filter(c -> c.role() == Role.ACCESS).toList());
      assertHealthy("access Secrets");

      assertThat(Files.exists(outside.resolve("kopia.repository.f")))
          .as("nothing written through a symlink out of the roots")
          .isFalse();
      root.detachAppender(log);
      assertNoMarkerAnywhere(sandbox.root(), options.workDirectory(), local);
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      System.out.println(
          "[figures] hostile corpus: "
              + secretCases.size()
              + " Secret cases "
              + byCategory
              + ", "
              + schemaCases
              + " schema cases generated from the CRD, "
              + markers.size()
              + " markers checked in status, Events, operator log and kopia logs; healthy"
              + " Repository stayed Ready; run time "
              + seconds
              + " s");
    } finally {
      root.detachAppender(log);
    }
  }

  // --- schema ----------------------------------------------------------------------------

  private long schemaBatch() {
    Repository base =
        RepositoryFixtures.repository(
            namespace, "schema", "schema", "schema-location", "healthy-admin", "healthy-tls");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        Serialization.unmarshal(Serialization.asJson(base.getSpec()), Map.class);
    spec.put(
        "policies",
        new ArrayList<>(
            List.of(
                new LinkedHashMap<>(
                    Map.of("target", "@corpus", "policy", new LinkedHashMap<>())))));
    Map<String, Integer> kinds = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    List<SchemaLimits.SchemaCase> cases = SchemaLimits.cases();
    for (SchemaLimits.SchemaCase c : cases) {
      kinds.merge(c.kind(), 1, Integer::sum);
      GenericKubernetesResource resource = new GenericKubernetesResource();
      resource.setApiVersion(Repository.GROUP + "/" + Repository.VERSION);
      resource.setKind("Repository");
      resource.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName("schema-case")
              .withNamespace(namespace)
              .build());
      resource.setAdditionalProperty("spec", SchemaLimits.apply(spec, c));
      String refusal = null;
      try {
        client
            .genericKubernetesResources(
                ResourceDefinitionContext.fromResourceType(Repository.class))
            .inNamespace(namespace)
            .resource(resource)
            .dryRun()
            .create();
      } catch (KubernetesClientException e) {
        refusal = e.getMessage();
      }
      if (c.accepted() && refusal != null) {
        wrong.add(c.kind() + " " + c.field() + " refused: " + refusal);
      } else if (!c.accepted() && refusal == null) {
        wrong.add(c.kind() + " " + c.field() + " accepted");
      } else if (!c.accepted()
          && !refusal.contains(c.field().replace("[0]", ""))
          && !refusal.contains(c.field())) {
        wrong.add(c.kind() + " " + c.field() + " refused without naming it: " + refusal);
      }
    }
    assertThat(wrong).as("schema cases with the wrong outcome").isEmpty();
    System.out.println("[figures] hostile corpus, schema cases by kind: " + kinds);
    return cases.size();
  }

  // --- location, admin, TLS --------------------------------------------------------------

  private void repositoryBatch(List<SecretCase> cases) {
    List<String> wrong = new ArrayList<>();
    Map<SecretCase, String> pending = new LinkedHashMap<>();
    int index = 0;
    for (SecretCase c : cases) {
      byCategory.merge(c.category(), 1, Integer::sum);
      String secret = "c-" + c.name();
      String marker = marker(c);
      Secret object = secretOf(c, secret, marker);
      String refusal = createSecret(object);
      if (c.expected().stop() == Stop.API_SERVER) {
        if (refusal == null) {
          wrong.add(c.name() + ": the API server accepted the Secret");
        }
        continue;
      }
      if (refusal != null) {
        wrong.add(c.name() + ": Secret refused: " + refusal);
        continue;
      }
      Repository repository =
          RepositoryFixtures.repository(
              namespace,
              "r-" + c.name(),
              "t" + index++,
              c.role() == Role.LOCATION ? secret : ownLocation("fs-" + c.name()),
              c.role() == Role.ADMIN ? secret : "healthy-admin",
              c.role() == Role.TLS ? secret : "healthy-tls");
      String denial = null;
      try {
        client.resource(repository).create();
      } catch (KubernetesClientException e) {
        denial = e.getMessage();
      }
      if (c.expected().stop() == Stop.WEBHOOK) {
        if (denial == null) {
          wrong.add(c.name() + ": the webhook accepted the Repository");
        } else if (!denial.contains("denied the request")
            || !denial.contains(
                "Secret " + namespace + "/" + secret + ", key '" + c.expected().key() + "'")
            || (c.expected().fragment() != null && !denial.contains(c.expected().fragment()))) {
          wrong.add(c.name() + ": webhook denial does not name the Secret's key: " + denial);
        }
        scrubbed(denial, marker, c.name() + " webhook denial", wrong);
        continue;
      }
      if (denial != null) {
        wrong.add(c.name() + ": Repository refused: " + denial);
        continue;
      }
      pending.put(c, secret);
    }
    pending.forEach((c, secret) -> checkCondition(c, secret, wrong));
    for (SecretCase c : pending.keySet()) {
      Repository repository = E2eSupport.get(client, namespace, "r-" + c.name());
      scrubbed(
          Serialization.asJson(repository.getStatus()),
          markers.get(c.name()),
          c.name() + " status",
          wrong);
      client.resources(Repository.class).inNamespace(namespace).withName("r-" + c.name()).delete();
    }
    assertThat(wrong).as("location, admin and TLS cases with the wrong outcome").isEmpty();
  }

  /** A valid filesystem location Secret for one Repository alone. */
  private String ownLocation(String name) {
    try {
      RepositoryFixtures.create(
          client,
          RepositoryFixtures.filesystemLocation(
              namespace,
              name,
              Files.createDirectories(ownLocations.resolve(name)).toString(),
              "shared-pw"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return name;
  }

  private void checkCondition(SecretCase c, String secret, List<String> wrong) {
    SecretCase.Expected expected = c.expected();
    Condition condition;
    try {
      condition =
          await()
              .atMost(SETTLE)
              .pollInterval(Duration.ofMillis(300))
              .until(
                  () ->
                      E2eSupport.condition(
                              E2eSupport.get(client, namespace, "r-" + c.name()), "RepositoryReady")
                          .orElse(null),
                  cc -> cc != null && expected.reason().equals(cc.getReason()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Condition last =
          E2eSupport.condition(
                  E2eSupport.get(client, namespace, "r-" + c.name()), "RepositoryReady")
              .orElse(null);
      wrong.add(
          c.name()
              + ": expected "
              + expected.reason()
              + ", got "
              + (last == null ? "no condition" : last.getReason() + ": " + last.getMessage()));
      return;
    }
    String message = condition.getMessage();
    String subject =
        expected.key() == null
            ? "Secret " + namespace + "/" + secret
            : "Secret " + namespace + "/" + secret + ", key '" + expected.key() + "'";
    boolean namesObject =
        expected.reason().equals("FilesystemPathNotFound") || message.contains(subject);
    if (!"False".equals(condition.getStatus())
        || !namesObject
        || (expected.fragment() != null && !message.contains(expected.fragment()))) {
      wrong.add(
          c.name()
              + ": condition "
              + condition.getStatus()
              + " "
              + condition.getReason()
              + ": "
              + message);
    }
  }

  // --- access ----------------------------------------------------------------------------

  private void accessBatch(List<SecretCase> cases) {
    List<String> wrong = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (SecretCase c : cases) {
      byCategory.merge(c.category(), 1, Integer::sum);
      String secret = "c-" + c.name();
      String refusal = createSecret(secretOf(c, secret, marker(c)));
      if (refusal != null) {
        wrong.add(c.name() + ": Secret refused: " + refusal);
      }
      names.add(secret);
    }
    // status.users.failed lists the first 20 failures (UsersStatus.MAX_FAILED) and counts the
    // rest, so the Secrets are named in turns of a few, the one with 10 000 broken entries alone
    // and last: every case's failure is listed in its turn.
    names.sort(java.util.Comparator.comparing((String n) -> n.contains("10000")));
    List<List<String>> turns = new ArrayList<>();
    for (int i = 0, end; i < names.size(); i = end) {
      end = Math.min(names.size(), i + ACCESS_TURN);
      if (names.get(end - 1).contains("duplicate-first") && end < names.size()) {
        end++; // the twins must share a turn: the second is the duplicate
      }
      List<String> turn = names.subList(i, end);
      List<String> plain = turn.stream().filter(n -> !n.contains("10000")).toList();
      if (!plain.isEmpty()) {
        turns.add(plain);
      }
      turn.stream().filter(n -> n.contains("10000")).forEach(n -> turns.add(List.of(n)));
    }
    Repository target =
        RepositoryFixtures.repository(
            namespace, "access-target", "access", "shared-fs", "healthy-admin", "chain-tls");
    target.getSpec().getServer().setAccessSecretNames(turns.get(0));
    client.resource(target).create();
    // The TLS Secret holds a chain behind the leaf: it serves.
    awaitCondition(client, namespace, "access-target", "ServerReady", "True", READY);
    Repository done = null;
    List<FailedUser> failed = new ArrayList<>();
    for (int t = 0; t < turns.size(); t++) {
      List<String> turn = turns.get(t);
      if (t > 0) {
        client
            .resources(Repository.class)
            .inNamespace(namespace)
            .withName("access-target")
            .edit(
                r -> {
                  r.getSpec().getServer().setAccessSecretNames(turn);
                  return r;
                });
      }
      done =
          await()
              .atMost(READY)
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> E2eSupport.get(client, namespace, "access-target"),
                  r ->
                      r.getStatus() != null
                          && r.getStatus().getUsers() != null
                          && E2eSupport.condition(r, "UsersReady")
                              .map(
                                  c ->
                                      !Condition.UNKNOWN.equals(c.getStatus())
                                          && java.util.Objects.equals(
                                              c.getObservedGeneration(),
                                              r.getMetadata().getGeneration()))
                              .orElse(false));
      System.out.printf(
          "[figures] hostile corpus, access turn %d of %d: %d Secrets, generation %d, failedCount %s%n",
          t + 1,
          turns.size(),
          turn.size(),
          done.getMetadata().getGeneration(),
          done.getStatus().getUsers().getFailedCount());
      List<FailedUser> shown = done.getStatus().getUsers().getFailed();
      if (shown.size() > UsersStatus.MAX_FAILED) {
        wrong.add("status lists " + shown.size() + " failed users, more than the cap");
      }
      failed.addAll(shown);
      for (String secret : turn) {
        String own = namespace + "/" + secret;
        for (SecretCase c : cases) {
          if (("c-" + c.name()).equals(secret)) {
            checkAccessCase(c, own, shown, wrong);
          }
        }
      }
      String status = Serialization.asJson(done.getStatus());
      for (SecretCase c : cases) {
        scrubbed(status, markers.get(c.name()), c.name() + " status", wrong);
      }
    }
    Condition users = E2eSupport.condition(done, "UsersReady").orElseThrow();
    assertThat(users.getStatus()).isEqualTo("False");
    assertThat(done.getStatus().getUsers().getFailedCount())
        .as("failedCount; last status %s", Serialization.asJson(done.getStatus()))
        .isGreaterThanOrEqualTo(10_000);
    System.out.println(
        "[figures] hostile corpus, access: "
            + failed.size()
            + " failed users shown in "
            + turns.size()
            + " turns, last status "
            + Serialization.asJson(done.getStatus()).length()
            + " bytes (failedCount "
            + done.getStatus().getUsers().getFailedCount()
            + "), UsersReady "
            + users.getReason());
    assertThat(wrong).as("access cases with the wrong outcome").isEmpty();
  }

  /** Access Secrets named per turn; each turn's failures fit the 20 the status lists. */
  private static final int ACCESS_TURN = 8;

  private static void checkAccessCase(
      SecretCase c, String own, List<FailedUser> failed, List<String> wrong) {
    String secret = own.substring(own.indexOf('/') + 1);
    String namespace = own.substring(0, own.indexOf('/'));
    String subject =
        c.expected().key() == null ? own : "Secret " + own + ", key '" + c.expected().key() + "'";
    // Valid entries: served, never reported (an alias is plain YAML; the first of two twins).
    boolean registeredOnly =
        c.name().equals("access-duplicate-first") || c.name().equals("access-anchor-alias");
    List<FailedUser> mine =
        failed.stream()
            .filter(
                f ->
                    f.getMessage() != null
                        && f.getMessage().contains(own)
                        && f.getMessage().indexOf(namespace + "/") == f.getMessage().indexOf(own))
            .toList();
    if (registeredOnly) {
      if (!mine.isEmpty()) {
        wrong.add(c.name() + ": the first of two Secrets failed: " + mine.get(0).getMessage());
      }
      return;
    }
    if (mine.isEmpty()) {
      wrong.add(c.name() + ": no failed user names " + secret);
      return;
    }
    FailedUser f = mine.get(0);
    if (!f.getMessage().contains(subject)
        || (c.expected().fragment() != null && !f.getMessage().contains(c.expected().fragment()))
        || (c.expected().reason() != null && !c.expected().reason().equals(f.getReason()))) {
      wrong.add(c.name() + ": failed user " + f.getReason() + ": " + f.getMessage());
    }
  }

  // --- checks ----------------------------------------------------------------------------

  private void assertHealthy(String after) {
    Repository healthy = E2eSupport.get(client, namespace, "healthy");
    Condition ready = readyCondition("healthy");
    assertThat(ready.getStatus()).as("healthy Repository after " + after).isEqualTo("True");
    assertThat(ready.getLastTransitionTime())
        .as("healthy Repository never left Ready, up to " + after)
        .isEqualTo(healthyTransition);
    assertThat(E2eSupport.condition(healthy, "ServerReady").orElseThrow().getStatus())
        .as("healthy server after " + after)
        .isEqualTo("True");
  }

  private Condition readyCondition(String name) {
    return E2eSupport.condition(E2eSupport.get(client, namespace, name), "RepositoryReady")
        .orElseThrow();
  }

  private void assertNoMarkerAnywhere(Path... roots) throws IOException {
    List<String> found = new ArrayList<>();
    List<Event> events = client.v1().events().inNamespace(namespace).list().getItems();
    assertThat(events).isNotEmpty();
    for (Event event : events) {
      markers.forEach(
          (name, marker) ->
              scrubbed(event.getMessage(), marker, name + " Event " + event.getReason(), found));
    }
    List<ILoggingEvent> lines = List.copyOf(log.list);
    assertThat(lines).isNotEmpty();
    for (ILoggingEvent line : lines) {
      StringBuilder text = new StringBuilder(line.getFormattedMessage());
      for (IThrowableProxy cause = line.getThrowableProxy();
          cause != null;
          cause = cause.getCause()) {
        text.append('\n').append(cause.getMessage());
      }
      String all = text.toString();
      markers.forEach(
          (name, marker) -> scrubbed(all, marker, name + " log " + line.getLoggerName(), found));
    }
    int files = 0;
    for (Path file : KopiaLogFiles.under(roots)) {
      files++;
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      markers.forEach((name, marker) -> scrubbed(text, marker, name + " in " + file, found));
    }
    System.out.println(
        "[figures] hostile corpus: " + files + " kopia and server log files grepped");
    assertThat(found).as("markers found").isEmpty();
  }

  private static void scrubbed(String text, String marker, String where, List<String> found) {
    if (text != null && marker != null && text.contains(marker)) {
      found.add(where + " shows the marker of a secret value");
    }
  }

  private String marker(SecretCase c) {
    String marker =
        "hxq" + HexFormat.of().formatHex(longBytes(ThreadLocalRandom.current().nextLong()));
    markers.put(c.name(), marker);
    return marker;
  }

  private static byte[] longBytes(long value) {
    return java.nio.ByteBuffer.allocate(8).putLong(value).array();
  }

  private Secret secretOf(SecretCase c, String name, String marker) {
    Map<String, String> data = new LinkedHashMap<>();
    c.data().apply(marker).forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v)));
    if (c.rawBase64() != null) {
      data.putAll(c.rawBase64().apply(marker));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withType(c.secretType())
        .withData(data)
        .build();
  }

  private String createSecret(Secret secret) {
    try {
      client.resource(secret).create();
      return null;
    } catch (KubernetesClientException e) {
      return e.getCode()
          + " "
          + e.getMessage().substring(0, Math.min(200, e.getMessage().length()));
    }
  }

  private void awaitWebhook() {
    Repository probe =
        RepositoryFixtures.repository(
            namespace, "probe", null, "shared-fs", "healthy-admin", "healthy-tls");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              try {
                client.resource(probe).dryRun().create();
                return false;
              } catch (KubernetesClientException e) {
                return e.getMessage().contains("denied the request");
              }
            });
  }
}
