package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.controller.metadata.OwnerReferences;
import io.kanister.controller.reconcile.Request;
import io.kanister.controller.reconcile.Result;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.error.KopiaFailure;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.export.ClientExporter;
import io.kanister.kopia.operator.export.ExecPodFileWriter;
import io.kanister.kopia.operator.export.WorkloadReexport;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.users.AccessUsers;
import io.kanister.kopia.operator.users.AccessUsers.AccessUsersSettings;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.operator.workload.LabelledWorkloads;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One reconcile pass of {@link RepositoryReconciler} on a real API server, table-driven: inputs in,
 * conditions, server objects and the kopia commands out. Kopia is a recording runner here; the
 * real-kopia path is covered by the E2Es.
 */
@RealKubernetes
class RepositoryReconcilerIT {
  private static final String PASSWORD = "reconciler-test-password-1";
  private static final String NAME = "repository-app";
  private static final String SERVICE = "repo-app";

  /** What kopia answers to each verb ({@code repository connect}, ...), in order. */
  record Answers(Map<String, List<KopiaErrorKind>> failures) {
    static Answers fresh() {
      return new Answers(Map.of("connect", List.of(KopiaErrorKind.REPOSITORY_NOT_INITIALIZED)));
    }

    static Answers existing() {
      return new Answers(Map.of());
    }

    static Answers failing(KopiaErrorKind kind) {
      return new Answers(Map.of("connect", List.of(kind)));
    }
  }

  /**
   * @param secrets which of the named Secrets exist (location, tls) and how
   * @param kopiaVerbs the {@code repository} verbs expected on the command line, in order
   * @param serverObjects whether the Deployment, Service and config Secret exist afterwards
   */
  record Case(
      String name,
      Consumer<Fixture> secrets,
      Consumer<RepositorySpec> spec,
      Answers kopia,
      boolean retried,
      Map<String, String> conditions,
      List<String> kopiaVerbs,
      boolean serverObjects) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "a fresh storage is created and the server objects applied",
            Fixture::allSecrets,
            spec -> {},
            Answers.fresh(),
            false,
            Map.of(
                "RepositoryReady", "True/Created",
                "PolicyApplied", "True/Applied",
                "ServerReady", "False/Starting",
                "UsersReady", "Unknown/WaitingForServer"),
            List.of("connect", "create", "status"),
            true),
        new Case(
            "an existing repository is adopted",
            Fixture::allSecrets,
            spec -> {},
            Answers.existing(),
            false,
            Map.of("RepositoryReady", "True/Connected", "ServerReady", "False/Starting"),
            List.of("connect", "status"),
            true),
        new Case(
            "a missing location Secret stops before kopia",
            Fixture::tlsOnly,
            spec -> {},
            Answers.existing(),
            false,
            Map.of(
                "RepositoryReady", "False/SecretNotFound",
                "ServerReady", "Unknown/WaitingForRepository"),
            List.of(),
            false),
        new Case(
            "no TLS Secret named: served with the certificate the operator issues",
            Fixture::allSecrets,
            spec -> spec.getServer().setTlsSecretName(null),
            Answers.existing(),
            false,
            Map.of("RepositoryReady", "True/Connected", "ServerReady", "False/Starting"),
            List.of("connect", "status"),
            true),
        new Case(
            "an invalid location Secret",
            f -> {
              f.tls();
              f.secret("app-location", Map.of("type", "tape", "repo-password", PASSWORD));
            },
            spec -> {},
            Answers.existing(),
            false,
            Map.of("RepositoryReady", "False/InvalidSecret"),
            List.of(),
            false),
        new Case(
            "a wrong password changes nothing and is not retried",
            Fixture::allSecrets,
            spec -> {},
            Answers.failing(KopiaErrorKind.INVALID_PASSWORD),
            false,
            Map.of(
                "RepositoryReady", "False/InvalidPassword",
                "ServerReady", "Unknown/WaitingForRepository"),
            List.of("connect"),
            false),
        new Case(
            "unreachable storage is reported, then retried with backoff",
            Fixture::allSecrets,
            spec -> {},
            Answers.failing(KopiaErrorKind.STORAGE_UNREACHABLE),
            true,
            Map.of("RepositoryReady", "False/StorageUnreachable"),
            List.of("connect"),
            false),
        new Case(
            "a foreign object holding the admin Secret's name is a name conflict",
            f -> {
              f.allSecrets();
              f.secret(SERVICE + "-admin", Map.of("password", "not-ours"));
            },
            spec -> {},
            Answers.existing(),
            false,
            Map.of("ServerReady", "False/NameConflict"),
            List.of(),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onePass(Case c, TestNamespace ns, @TempDir Path work) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    // A real directory: the reconciler checks that a filesystem location exists before kopia.
    Fixture fixture =
        new Fixture(client, ns.name(), Files.createDirectories(work.resolve("repository")));
    c.secrets().accept(fixture);
    Repository repository = repository(ns.name());
    c.spec().accept(repository.getSpec());
    client.resource(repository).create();
    RecordingRunner kopia = new RecordingRunner(c.kopia());

    try (SharedInformers informers = new SharedInformers(client)) {
      InformerCache<Repository> cache = informers.cache(Repository.class, ns.name());
      InformerCache<Secret> secrets = informers.cache(Secret.class, ns.name());
      informers.start();
      informers.awaitSynced(Duration.ofSeconds(30));
      RepositoryReconciler reconciler = reconciler(client, cache, secrets, kopia, work);
      Request request = new Request(ns.name(), NAME);

      if (c.retried()) {
        assertThatThrownBy(() -> reconciler.reconcile(request))
            .isInstanceOf(TransientRepositoryException.class);
      } else {
        Result result = reconciler.reconcile(request);
        assertThat(result.requeueAfter()).isPresent();
      }
    }

    Repository stored = client.resource(repository).get();
    for (var expected : c.conditions().entrySet()) {
      Condition condition = stored.getStatus().condition(expected.getKey()).orElseThrow();
      assertThat(condition.getStatus() + "/" + condition.getReason())
          .as("%s: %s", expected.getKey(), condition.getMessage())
          .isEqualTo(expected.getValue());
      assertThat(condition.getMessage()).doesNotContain(PASSWORD);
    }
    assertThat(stored.getMetadata().getFinalizers()).contains(RepositoryReconciler.FINALIZER);
    assertThat(kopia.verbs()).isEqualTo(c.kopiaVerbs());
    assertThat(kopia.argv()).noneMatch(arg -> arg.contains(PASSWORD));

    List<HasMetadata> server =
        Stream.<HasMetadata>of(
                client.apps().deployments().inNamespace(ns.name()).withName(SERVICE).get(),
                client.services().inNamespace(ns.name()).withName(SERVICE).get(),
                client.secrets().inNamespace(ns.name()).withName(SERVICE + "-config").get())
            .filter(o -> o != null)
            .toList();
    if (c.serverObjects()) {
      assertThat(server).hasSize(3);
      assertThat(server).allMatch(o -> OwnerReferences.isControlledBy(o, stored));
      var env =
          client
              .apps()
              .deployments()
              .inNamespace(ns.name())
              .withName(SERVICE)
              .get()
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getEnv();
      assertThat(env).noneMatch(e -> PASSWORD.equals(e.getValue()));
    } else {
      assertThat(server).isEmpty();
    }
  }

  private static RepositoryReconciler reconciler(
      KubernetesClient client,
      InformerCache<Repository> cache,
      InformerCache<Secret> secrets,
      KopiaRunner kopia,
      Path work)
      throws Exception {
    Clock clock = Clock.systemUTC();
    ServerEndpointResolver endpoints = (host, port) -> host + ":" + port;
    AccessUsersStep users =
        new AccessUsersStep(
            new AccessUsers(client, AccessUsersSettings.defaults(), clock),
            new LabelledWorkloads(client),
            new WorkloadReexport(
                client, new ClientExporter(new ExecPodFileWriter(client, Duration.ofSeconds(10)))),
            kopia,
            endpoints,
            clock);
    return TestReconcilers.reconciler(
        client, cache, secrets, kopia, work, endpoints, clock, users, "reconciler-it");
  }

  private static Repository repository(String namespace) {
    return TestReconcilers.repository(namespace, NAME);
  }

  /** Creates the Secrets a case needs, in the operator namespace. */
  static final class Fixture {
    private final KubernetesClient client;
    private final String namespace;
    private final Path repositoryPath;

    Fixture(KubernetesClient client, String namespace, Path repositoryPath) {
      this.client = client;
      this.namespace = namespace;
      this.repositoryPath = repositoryPath;
    }

    void allSecrets() {
      tls();
      secret(
          "app-location",
          Map.of(
              "type", "filesystem", "path", repositoryPath.toString(), "repo-password", PASSWORD));
    }

    void tlsOnly() {
      tls();
    }

    void tls() {
      TestPki.Issued issued =
          TestPki.newCa("reconciler-it")
              .issueServer(SERVICE, List.of(SERVICE + "." + namespace + ".svc"), List.of());
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("app-tls")
                  .withNamespace(namespace)
                  .endMetadata()
                  .withType("kubernetes.io/tls")
                  .withStringData(Map.of("tls.crt", issued.certPem(), "tls.key", issued.keyPem()))
                  .build())
          .create();
    }

    void secret(String name, Map<String, String> data) {
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .endMetadata()
              .withStringData(data)
              .build();
      client.resource(secret).create();
    }
  }

  /** Records every kopia command line and answers from the case's table. */
  static final class RecordingRunner implements KopiaRunner {
    private final Answers answers;
    private final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());

    RecordingRunner(Answers answers) {
      this.answers = answers;
    }

    @Override
    public KopiaResult run(KopiaCommand command) {
      commands.add(command.args());
      List<String> args = command.args();
      if (args.size() > 1 && args.get(0).equals("repository")) {
        String verb = args.get(1);
        long earlier =
            commands.stream().filter(a -> a.size() > 1 && a.get(1).equals(verb)).count() - 1;
        List<KopiaErrorKind> failures = answers.failures().getOrDefault(verb, List.of());
        if (earlier < failures.size()) {
          throw new KopiaException(
              command,
              new KopiaFailure(failures.get((int) earlier), OptionalInt.of(1), "recorded failure"));
        }
      }
      if (args.size() > 1 && args.get(0).equals("repository") && args.get(1).equals("status")) {
        return new KopiaResult(
            "{\"configFile\":\"repo.config\",\"uniqueIDHex\":\"0123abcd\",\"clientOptions\":{}}",
            "",
            Duration.ZERO,
            false);
      }
      if (args.size() > 1
          && (args.get(0).equals("policy") || args.get(0).equals("manifest"))
          && args.get(1).equals("list")) {
        return new KopiaResult("[]", "", Duration.ZERO, false);
      }
      return new KopiaResult("", "", Duration.ZERO, false);
    }

    /** The {@code repository} verbs, in order. */
    List<String> verbs() {
      return commands.stream()
          .filter(a -> a.size() > 1 && a.get(0).equals("repository"))
          .map(a -> a.get(1))
          .toList();
    }

    List<String> argv() {
      return commands.stream().flatMap(List::stream).toList();
    }
  }
}
