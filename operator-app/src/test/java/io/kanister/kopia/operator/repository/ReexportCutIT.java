package io.kanister.kopia.operator.repository;

import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.conditions;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.converged;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.localTls;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.markAvailableOnce;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.secrets;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.operator.export.LocalFolderFileWriter;
import io.kanister.kopia.operator.export.PodFileWriter;
import io.kanister.kopia.operator.export.WorkloadReexport;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.tokens.TokenIssuer;
import io.kanister.kopia.operator.tokens.TokenIssuer.TokenRequestIssuer;
import io.kanister.kopia.operator.users.AccessUsers;
import io.kanister.kopia.operator.users.AccessUsers.AccessUsersSettings;
import io.kanister.kopia.operator.users.MutableClock;
import io.kanister.kopia.operator.users.RealKopiaServer;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.operator.workload.LabelledWorkloads;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator killed between a dynamic user's password change and the re-export of its client
 * files: a token rotation comes due, the process sets the new token as the user's password in Kopia
 * and dies, once right after the {@code server users set} and once after the {@code server
 * refresh}, before it writes the token into the workload's pod. The pod's files then hold a
 * password Kopia no longer has. A fresh process (new reconciler, new token memory, new work folder)
 * must hand the pod a working token: its data mover, using only the exported {@code
 * repository.config} and {@code password}, snapshots through the real Kopia server again.
 *
 * <p>Real API server (TokenRequest issues the real ServiceAccount tokens), real kopia, a real Kopia
 * server. There is no kubelet here, so the StatefulSet's pod is an API object marked Running and
 * its filesystem a local folder; the exec transport into a real container, after a rotation, runs
 * on the real node in {@code RotationsE2E}. The token memory is what the cut loses, and it is the
 * operator's own.
 */
@RealKopia
@RealKubernetes
@Tag("battery")
class ReexportCutIT {
  private static final String NAME = "repository-rx";
  private static final String WORKLOAD = "db";
  private static final String POD = "db-0";
  private static final String EXPORT_PATH = "/run/kopia-client";

  /** Past 0.8 of the tokens' one-hour lifetime: the next pass rotates. */
  private static final Duration PAST_ROTATION = Duration.ofMinutes(50);

  private static final int MAX_PASSES = 8;

  @Test
  void aFreshProcessHandsThePodAWorkingTokenAfterACutBeforeTheReexport(
      KopiaSandbox sandbox, TestNamespace ns, @TempDir Path work) throws Exception {
    KubernetesClient client = ns.client();
    String namespace = ns.name();
    RepositoryCrdInstall.shipped(client);
    TestPki.Issued tls = localTls("reexport-cut");
    MutableClock clock = new MutableClock(Instant.now());
    ClockedTokens tokens =
        new ClockedTokens(new TokenRequestIssuer(client, Clock.systemUTC()), clock);
    try (RealKopiaServer real = RealKopiaServer.started(sandbox, tls, "repo-rx");
        ServedRepositoryFixture.Caches caches =
            ServedRepositoryFixture.Caches.started(client, namespace);
        RepositoryInvariants.OperatorLog log = RepositoryInvariants.OperatorLog.capture()) {
      secrets(client, namespace, "rx", tls, real);
      annotatedStatefulSetWithItsPod(client, namespace);
      client
          .resource(ServedRepositoryFixture.repository(namespace, NAME, "rx", namespace))
          .create();
      awaitCached(caches, namespace);
      int port = URI.create(real.url()).getPort();
      ServerEndpointResolver endpoints = (host, p) -> "127.0.0.1:" + port;
      PodFolder pod = new PodFolder(sandbox, real, sandbox.newDir(POD), client, namespace);
      Process.Factory processes =
          name ->
              new Process(
                  client,
                  namespace,
                  caches,
                  endpoints,
                  new DiesAfter(new ProcessKopiaRunner(sandbox.binary())),
                  work.resolve(name),
                  clock,
                  tokens,
                  pod.root());

      Process first = processes.start("first");
      first.converge("the first convergence", () -> pod.password().isPresent());
      Path data = sandbox.newDir("data");
      Files.writeString(data.resolve("table.ibd"), "rows before any rotation");
      pod.mover("before").snapshot(data, Map.of());
      RepositoryInvariants.Storage files = RepositoryInvariants.filesystem(real.repositoryPath());
      String identity = repository(client, namespace).getStatus().getRepository().getUniqueId();
      byte[] format = files.formatBlob();
      Set<String> blobs = files.blobs();

      List<String> figures = new ArrayList<>();
      Process current = first;
      int cut = 0;
      for (String verb : List.of("server users set", "server refresh")) {
        String scenario = "operator killed after the rotation's " + verb;
        String before = pod.password().orElseThrow();
        clock.advance(PAST_ROTATION);
        current.kopia().dieAfter(verb);
        RepositoryStatus statusBefore = repository(client, namespace).getStatus();
        int mark = current.kopia().counting().mark();
        current.passOnce();
        assertThat(current.kopia().dead())
            .as(
                "%s: the rotation pass ran its %s; it ran %s; conditions %s",
                scenario,
                verb,
                current.kopia().counting().since(mark),
                conditions(client, namespace, NAME))
            .isTrue();
        assertThat(pod.password())
            .as("%s: the dead process wrote no file into the pod", scenario)
            .contains(before);
        // A killed process writes no status either: put back what the API held before the pass.
        Repository now = repository(client, namespace);
        now.setStatus(statusBefore);
        client.resource(now).updateStatus();
        boolean lockedOut = !pod.logsIn("cut-" + cut);
        if (verb.equals("server refresh")) {
          assertThat(lockedOut)
              .as("%s: the server re-read its users, so the pod's token no longer works", scenario)
              .isTrue();
        }

        long start = System.nanoTime();
        Process fresh = processes.start("fresh-" + cut++);
        int passes =
            fresh.converge(
                scenario, () -> pod.password().filter(p -> !p.equals(before)).isPresent());
        Files.writeString(data.resolve("table.ibd"), "rows after " + scenario);
        pod.mover("after-" + cut).snapshot(data, Map.of());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(pod.logsIn("stale-" + cut, before))
            .as("%s: the token the pod held before the rotation is refused", scenario)
            .isFalse();

        blobs =
            files.assertUnchanged(
                scenario,
                identity,
                repository(client, namespace).getStatus().getRepository().getUniqueId(),
                format,
                blobs);
        int events =
            RepositoryInvariants.checkNoSecretIn(
                scenario,
                repository(client, namespace),
                client.v1().events().inNamespace(namespace).list().getItems(),
                secretValues(tokens));
        List<String> steady = fresh.steadyPass();
        assertThat(steady)
            .as("%s: a steady pass", scenario)
            .noneMatch(RepositoryInvariants::writes);
        String line =
            String.format(
                "%s: the pod held a password Kopia no longer had (%s); a fresh process issued a"
                    + " new token and re-exported it in %d pass(es), and the pod's data mover"
                    + " snapshotted with the exported files %d ms after the restart; the"
                    + " pre-rotation token refused; format blob unchanged, %d blobs kept, no"
                    + " secret value or token in status or %d Events; steady pass %s",
                scenario,
                lockedOut ? "refused at once" : "still accepted until the server's refresh",
                passes,
                millis,
                blobs.size(),
                events,
                steady);
        figures.add(line);
        System.out.println("[figures] re-export cut " + line);
        current = fresh;
      }
      RepositoryInvariants.checkLog("re-export cuts", log, secretValues(tokens));
      assertThat(figures).hasSize(2);
    }
  }

  /** Every token issued so far, the repository password and the server's admin passwords. */
  private static List<String> secretValues(ClockedTokens tokens) {
    List<String> secrets = new ArrayList<>(tokens.issued());
    secrets.add(RealKopiaServer.REPOSITORY_PASSWORD.reveal());
    secrets.add(RealKopiaServer.credentials().uiPassword().reveal());
    secrets.add(RealKopiaServer.credentials().controlPassword().reveal());
    return secrets;
  }

  private static Repository repository(KubernetesClient client, String namespace) {
    return client.resources(Repository.class).inNamespace(namespace).withName(NAME).get();
  }

  /** StatefulSet {@code db} (ServiceAccount {@code db-sa}) opted in to exports, pod db-0. */
  private static void annotatedStatefulSetWithItsPod(KubernetesClient client, String namespace) {
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("db-sa").endMetadata().build())
        .create();
    client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .resource(
            TestWorkloads.statefulSet(
                namespace,
                WORKLOAD,
                "db-sa",
                Map.of("repo.kanister.io/authn-mode", "service-account"),
                Map.of(WorkloadReexport.PATH_ANNOTATION, EXPORT_PATH)))
        .create();
    TestWorkloads.runningPod(client, namespace, POD, Map.of("app", WORKLOAD), "db-sa", WORKLOAD);
  }

  private static void awaitCached(ServedRepositoryFixture.Caches caches, String namespace)
      throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (caches.repositories().get(namespace, NAME).isPresent()
          && caches.secrets().get(namespace, "rx-admin").isPresent()
          && caches.secrets().get(namespace, "rx-tls").isPresent()
          && caches.secrets().get(namespace, "rx-location").isPresent()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the caches never saw Repository " + NAME);
  }

  /**
   * Runs kopia until a command of the given verb has run, then refuses every later command, as a
   * process killed right after it would; {@link Process} refuses its file writes from then on.
   */
  static final class DiesAfter implements KopiaRunner {
    private final RealKopiaReconciler.Counting delegate;
    private volatile String verb;
    private volatile boolean dead;

    DiesAfter(KopiaRunner kopia) {
      this.delegate = new RealKopiaReconciler.Counting(kopia);
    }

    void dieAfter(String verb) {
      this.verb = verb;
    }

    boolean dead() {
      return dead;
    }

    RealKopiaReconciler.Counting counting() {
      return delegate;
    }

    @Override
    public KopiaResult run(KopiaCommand command) {
      if (dead) {
        throw new KopiaCancelledException(command.verb());
      }
      KopiaResult result = delegate.run(command);
      if (command.verb().equals(verb)) {
        dead = true;
      }
      return result;
    }
  }

  /**
   * The real TokenRequest API, each grant's validity restated on the test's clock (the API server
   * keeps its own, which the test cannot move); every token is remembered for the leak checks.
   */
  static final class ClockedTokens implements TokenIssuer {
    private final TokenIssuer issuer;
    private final Clock clock;
    private final List<String> issued = new CopyOnWriteArrayList<>();

    ClockedTokens(TokenIssuer issuer, Clock clock) {
      this.issuer = issuer;
      this.clock = clock;
    }

    List<String> issued() {
      return List.copyOf(issued);
    }

    @Override
    public IssuedToken issue(
        String namespace, String serviceAccount, String audience, Duration lifetime) {
      IssuedToken granted = issuer.issue(namespace, serviceAccount, audience, lifetime);
      issued.add(granted.token().reveal());
      Instant now = clock.instant();
      return new IssuedToken(
          granted.token(),
          now,
          now.plus(Duration.between(granted.issuedAt(), granted.expiresAt())));
    }
  }

  /** One operator process: its own reconciler, token memory and work folder. */
  private record Process(
      KubernetesClient client, DiesAfter kopia, RepositoryReconciler reconciler, String namespace) {
    interface Factory {
      Process start(String name) throws Exception;
    }

    Process(
        KubernetesClient client,
        String namespace,
        ServedRepositoryFixture.Caches caches,
        ServerEndpointResolver endpoints,
        DiesAfter kopia,
        Path work,
        Clock clock,
        TokenIssuer tokens,
        Path podRoot)
        throws Exception {
      this(
          client,
          kopia,
          ServedRepositoryFixture.reconciler(
              client,
              caches,
              kopia,
              endpoints,
              work,
              "reexport-cut",
              clock,
              new AccessUsers(
                  client,
                  new LabelledWorkloads(client),
                  tokens,
                  AccessUsersSettings.defaults(),
                  clock),
              deadOnce(kopia, new LocalFolderFileWriter(podRoot))),
          namespace);
    }

    private static PodFileWriter deadOnce(DiesAfter kopia, PodFileWriter writer) {
      return (target, path, content) -> {
        if (kopia.dead()) {
          throw new IllegalStateException("the operator process is dead");
        }
        assertThat(target.pod()).as("the pod written").isEqualTo(POD);
        writer.write(target, path, content);
      };
    }

    /** One pass; a failure is the process dying at its cut. */
    void passOnce() {
      try {
        reconciler.reconcile(new Request(namespace, NAME));
      } catch (Exception e) {
        // The process died at the cut.
      }
    }

    /**
     * Passes until the Repository has converged and {@code delivered} holds.
     *
     * @return how many passes it took
     */
    int converge(String scenario, java.util.function.BooleanSupplier delivered) throws Exception {
      int passes = 0;
      while (!converged(client, namespace, NAME) || !delivered.getAsBoolean()) {
        assertThat(++passes)
            .as("passes after %s; conditions %s", scenario, conditions(client, namespace, NAME))
            .isLessThanOrEqualTo(MAX_PASSES);
        reconciler.reconcile(new Request(namespace, NAME));
        markAvailableOnce(client, namespace, NAME);
      }
      return passes;
    }

    List<String> steadyPass() throws Exception {
      int mark = kopia.counting().mark();
      reconciler.reconcile(new Request(namespace, NAME));
      return kopia.counting().since(mark);
    }
  }

  /** Pod db-0's filesystem, and its data mover, which has only the exported files. */
  private record PodFolder(
      KopiaSandbox sandbox,
      RealKopiaServer real,
      Path root,
      KubernetesClient client,
      String namespace) {
    private Path directory() {
      return root.resolve((EXPORT_PATH + "/" + NAME).substring(1));
    }

    java.util.Optional<String> password() {
      Path file = directory().resolve("password");
      try {
        return Files.exists(file)
            ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8))
            : java.util.Optional.empty();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    /**
     * A kopia client opened from the exported {@code repository.config} and {@code password}; the
     * server URL in it names the Service, which a pod resolves and this test maps to the server.
     */
    Kopia mover(String name) throws java.io.IOException {
      return mover(name, password().orElseThrow());
    }

    private Kopia mover(String name, String password) throws java.io.IOException {
      String config =
          Files.readString(directory().resolve("repository.config"), StandardCharsets.UTF_8);
      String serviceUrl = repository(client, namespace).getStatus().getServer().getUrl();
      assertThat(config).as("the exported config names the Service").contains(serviceUrl);
      KopiaWorkspace workspace = real.workspace("mover-" + name);
      Files.writeString(
          workspace.configFile(), config.replace(serviceUrl, real.url()), StandardCharsets.UTF_8);
      return Kopia.open(
          new ProcessKopiaRunner(sandbox.binary()), workspace, SecretValue.of(password));
    }

    boolean logsIn(String name) throws java.io.IOException {
      return logsIn(name, password().orElseThrow());
    }

    /** Whether the server takes {@code password} with the exported config (a snapshot listing). */
    boolean logsIn(String name, String password) throws java.io.IOException {
      try {
        mover(name, password).snapshots(root);
        return true;
      } catch (io.kanister.kopia.core.exec.KopiaException e) {
        return false;
      }
    }
  }
}
