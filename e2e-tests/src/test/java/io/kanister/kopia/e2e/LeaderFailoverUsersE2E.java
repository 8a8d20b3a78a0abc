package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.RepositoryFixtures.REPO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.KopiaOperator;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.operator.export.ClientConnection;
import io.kanister.kopia.operator.server.ServerControlProbe;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.LoopbackProxy;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Leader failover in the middle of a users convergence: two whole operators in this JVM, each with
 * its own API client, Lease identity, work folder and kopia runner (two JVM processes would double
 * the machine's load for no more evidence: each operator here fences and halts as a process would,
 * its halt replaced by cutting it off the API server for good, as a dead process is). One kubelet
 * stand-in runs the Kopia server. The leader's API connection goes dark (a loopback relay holding
 * every byte) after it wrote a quarter of the users: it must fence itself (kill its kopia) before
 * the standby leads, so no kopia write of the two overlaps in time; the new leader must finish,
 * every desired user must log in to the server, no user is lost. Meanwhile every kopia child of
 * each operator is sampled ({@code /proc/<pid>/status}): their count stays within {@code
 * --kopia-concurrency}, peak RSS printed.
 *
 * <p>{@code -Dkko.failoverUsers=N} sets the user count: 40 in the README test command (PBKDF2 and
 * one kopia process per user make 200 take minutes on 2 cores), 200 in {@code scripts/battery.sh}.
 * No secret value (repository, control, UI and user passwords) may appear in the Repository's
 * status, the namespace's Events or any line either operator logged.
 */
@RealKubernetes
@RealKopia
@Tag("battery")
class LeaderFailoverUsersE2E {
  private static final int USERS = Integer.getInteger("kko.failoverUsers", 40);
  private static final int CONCURRENCY = 4;
  private static final Duration PATIENCE = Duration.ofMinutes(10);

  record Write(String who, String verb, Instant start, Instant end, boolean ok) {
    boolean writes() {
      return CountingKopiaRunner.WRITES.contains(verb);
    }
  }

  @Test
  void theStandbyFinishesTheUsersAndNoKopiaWriteOverlaps(TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    String target = namespace + "-apps";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(target).endMetadata().build())
        .create();
    Map<String, String> access = new LinkedHashMap<>();
    Map<KopiaUsername, String> desired = new LinkedHashMap<>();
    for (int i = 0; i < USERS; i++) {
      String password = "failover-user-password-" + i + "-x7Qe";
      access.put("k" + i, "username: u" + i + "\npassword: " + password + "\n");
      desired.put(KopiaUsername.of("u" + i + "@" + target + ".k" + i), password);
    }
    Path repoPath = sandbox.newDir("repository");
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.filesystemLocation(
            namespace, "location", repoPath.toString(), REPO_PASSWORD),
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-" + target),
        RepositoryFixtures.secret(namespace, "access", "Opaque", access));
    Repository repository =
        RepositoryFixtures.repository(namespace, "repo", target, "location", "admin", "tls");
    repository.getSpec().getServer().setAccessSecretNames(List.of("access"));

    List<Write> writes = new CopyOnWriteArrayList<>();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    LocalEndpoints endpoints = new LocalEndpoints();
    URI api = URI.create(ns.cluster().url());
    Path workA = sandbox.newDir("work-a");
    Path workB = sandbox.newDir("work-b");
    KopiaChildren children = new KopiaChildren(Map.of("a", workA, "b", workB));
    CountDownLatch aHalted = new CountDownLatch(1);
    CountDownLatch bHalted = new CountDownLatch(1);
    ProcessKopiaRunner kopiaA = new ProcessKopiaRunner(sandbox.binary());
    ProcessKopiaRunner kopiaB = new ProcessKopiaRunner(sandbox.binary());
    try (var relay = new LoopbackProxy(new InetSocketAddress(api.getHost(), api.getPort()));
        KubernetesClient clientA =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(client.getConfiguration())
                        .withMasterUrl("https://" + api.getHost() + ":" + relay.port())
                        .build())
                .build();
        KubernetesClient clientB =
            new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        LocalKubelet kubelet =
            new LocalKubelet(client, namespace, sandbox.binary(), endpoints, sandbox.newDir("pods"))
                .start()) {
      client.resource(repository).create();
      KopiaOperator a =
          KopiaOperator.start(
              new KopiaOperator.Wiring(
                  clientA,
                  options(namespace, sandbox, workA),
                  new Recording("a", kopiaA, writes),
                  endpoints,
                  "operator-a",
                  false),
              () -> {
                // Runtime.halt in a real process: nothing of it reaches the API server again.
                relay.stall();
                aHalted.countDown();
              });
      KopiaOperator b = null;
      try {
        until(() -> a.runtime().isLeader(), Duration.ofSeconds(60));
        b =
            KopiaOperator.start(
                new KopiaOperator.Wiring(
                    clientB,
                    options(namespace, sandbox, workB),
                    new Recording("b", kopiaB, writes),
                    endpoints,
                    "operator-b",
                    false),
                bHalted::countDown);
        children.start();
        until(
            () -> {
              if (aHalted.getCount() == 0) {
                throw new AssertionError(
                    "the first leader lost its Lease before the fault (renew deadline missed on a"
                        + " loaded machine)");
              }
              return usersAdded(writes, "a") >= USERS / 4;
            },
            PATIENCE);

        Instant dark = Instant.now();
        int addedByA = usersAdded(writes, "a");
        relay.stall();
        assertThat(aHalted.await(60, TimeUnit.SECONDS)).as("the old leader fenced").isTrue();
        Instant fenced = Instant.now();
        KopiaOperator standby = b;
        until(standby.runtime()::isLeader, Duration.ofSeconds(60));
        Instant led = Instant.now();
        until(() -> registered(client, namespace) == USERS, PATIENCE);
        Instant converged = Instant.now();
        LoginCheck logins = loginAll(client, namespace, endpoints, desired);
        Instant loggedIn = Instant.now();
        children.stop();

        Write lastOfA =
            writes.stream()
                .filter(w -> w.who().equals("a") && w.writes())
                .max(java.util.Comparator.comparing(Write::end))
                .orElseThrow();
        Write firstOfB =
            writes.stream()
                .filter(w -> w.who().equals("b") && w.writes())
                .min(java.util.Comparator.comparing(Write::start))
                .orElseThrow();
        List<String> cut =
            writes.stream()
                .filter(w -> w.who().equals("a") && !w.ok() && !w.end().isBefore(dark))
                .map(w -> w.verb() + " +" + millis(dark, w.end()) + " ms")
                .toList();
        System.out.printf(
            "[figures] leader failover mid %d-user convergence: the old leader wrote %d users,"
                + " dark -> fenced and halted %d ms; its last kopia write ended %d ms after dark, the new"
                + " leader's first began %d ms after that; new leader %d ms after dark; all %d"
                + " users registered %d ms and every one logged in to the server %d ms after dark"
                + " (%d logins; %d of %d wrong passwords refused) (2 cores shared: noisy)%n",
            USERS,
            addedByA,
            millis(dark, fenced),
            millis(dark, lastOfA.end()),
            millis(lastOfA.end(), firstOfB.start()),
            millis(dark, led),
            USERS,
            millis(dark, converged),
            millis(dark, loggedIn),
            logins.accepted(),
            logins.refused(),
            logins.wrongTried());
        System.out.printf(
            "[figures] leader failover: the old leader's kopia commands that failed after dark"
                + " (killed by the fence or refused): %s%n",
            cut);
        System.out.printf(
            "[figures] kopia children during the failover: at most %d of operator a and %d of"
                + " operator b at once (--kopia-concurrency %d), peak RSS %d KiB of one, %d KiB"
                + " of all at once; %d samples%n",
            children.peakCount("a"),
            children.peakCount("b"),
            CONCURRENCY,
            children.peakRssKib(),
            children.peakTotalRssKib(),
            children.samples());

        assertThat(lastOfA.end())
            .as("no overlap of the two operators' writes")
            .isBefore(firstOfB.start());
        assertThat(writes)
            .as("writes of the old leader after its fence")
            .filteredOn(w -> w.who().equals("a") && w.ok() && w.start().isAfter(fenced))
            .isEmpty();
        assertThat(writes)
            .as("users deleted by either")
            .noneMatch(w -> w.verb().equals("server users delete"));
        assertThat(writes)
            .as("commands of the old leader that ran after its fence")
            .filteredOn(w -> w.who().equals("a") && w.ok() && w.end().isAfter(fenced))
            .isEmpty();
        assertThat(logins.accepted()).isEqualTo(USERS);
        assertThat(logins.wrongTried()).isPositive();
        assertThat(logins.refused()).isEqualTo(logins.wrongTried());
        assertThat(children.peakCount("a")).isBetween(1, CONCURRENCY);
        assertThat(children.peakCount("b")).isBetween(1, CONCURRENCY);
        assertThat(children.liveNow("a")).as("kopia of the fenced leader left").isZero();
        List<String> secrets = new ArrayList<>(desired.values());
        secrets.addAll(
            List.of(
                REPO_PASSWORD,
                RepositoryFixtures.UI_PASSWORD,
                RepositoryFixtures.CONTROL_PASSWORD));
        assertNoSecretShown(client, namespace, log, secrets);
      } finally {
        root.detachAppender(log);
        children.stop();
        relay.resume();
        kopiaA.shutDown(Duration.ofSeconds(2));
        kopiaB.shutDown(Duration.ofSeconds(2));
        if (b != null) {
          b.close();
        }
        a.close();
      }
    }
  }

  /** No secret value in the status, the namespace's Events or the operators' log lines. */
  private static void assertNoSecretShown(
      KubernetesClient client,
      String namespace,
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log,
      List<String> secrets) {
    String status =
        io.fabric8.kubernetes.client.utils.Serialization.asJson(
            E2eSupport.get(client, namespace, "repo").getStatus());
    List<String> events =
        client.v1().events().inNamespace(namespace).list().getItems().stream()
            .map(e -> e.getReason() + " " + e.getMessage())
            .toList();
    List<String> lines =
        List.copyOf(log.list).stream()
            .map(
                line -> {
                  StringBuilder text = new StringBuilder(line.getFormattedMessage());
                  for (var cause = line.getThrowableProxy();
                      cause != null;
                      cause = cause.getCause()) {
                    text.append('\n').append(cause.getMessage());
                  }
                  return text.toString();
                })
            .toList();
    assertThat(lines).isNotEmpty();
    for (String secret : secrets) {
      assertThat(status).as("a secret in status").doesNotContain(secret);
      assertThat(events).as("a secret in Events").noneMatch(e -> e.contains(secret));
      assertThat(lines).as("a secret in the operator log").noneMatch(l -> l.contains(secret));
    }
    System.out.printf(
        "[invariants] leader failover: %d secret values absent from status, %d Events and %d"
            + " operator log lines%n",
        secrets.size(), events.size(), lines.size());
  }

  private static OperatorOptions options(String namespace, KopiaSandbox sandbox, Path work) {
    return LocalOperator.options(
        namespace,
        RepositoryScope.NAMESPACE,
        sandbox.binary(),
        work,
        Duration.ofSeconds(5),
        List.of(
            "--leader-elect=true",
            // Longer than the operator's least: a 2-core machine under load misses 3 s renewals.
            "--leader-lease-duration=8s",
            "--leader-renew-deadline=5s",
            "--leader-retry-period=1s",
            "--kopia-concurrency=" + CONCURRENCY,
            "--kopia-per-repository=" + CONCURRENCY));
  }

  /** Records every kopia command with its operator and times, beside the real runner. */
  private record Recording(String who, KopiaRunner delegate, List<Write> writes)
      implements KopiaRunner {
    @Override
    public KopiaResult run(KopiaCommand command) {
      Instant start = Instant.now();
      boolean ok = false;
      try {
        KopiaResult result = delegate.run(command);
        ok = true;
        return result;
      } finally {
        writes.add(new Write(who, command.verb(), start, Instant.now(), ok));
      }
    }
  }

  private static int usersAdded(List<Write> writes, String who) {
    return (int)
        writes.stream()
            .filter(w -> w.who().equals(who) && w.ok() && w.verb().equals("server users add"))
            .count();
  }

  private static int registered(KubernetesClient client, String namespace) {
    Repository r = E2eSupport.get(client, namespace, "repo");
    if (r == null || r.getStatus() == null || r.getStatus().getUsers() == null) {
      return -1;
    }
    Integer registered = r.getStatus().getUsers().getRegistered();
    return registered == null ? -1 : registered;
  }

  record LoginCheck(int accepted, int wrongTried, int refused) {}

  /**
   * Every desired user logs in: Basic auth of a repository user against the control endpoint is
   * authenticated first (HTTP 403: a known user with the right password, not a control user) and
   * refused with 401 otherwise; a wrong password (every 10th user: each costs the server a PBKDF2)
   * must get the 401. Retried until the server has refreshed its users.
   */
  private static LoginCheck loginAll(
      KubernetesClient client,
      String namespace,
      LocalEndpoints endpoints,
      Map<KopiaUsername, String> desired)
      throws Exception {
    Repository ready = E2eSupport.get(client, namespace, "repo");
    ServerControlProbe probe = new ServerControlProbe(endpoints);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger wrongTried = new AtomicInteger();
    AtomicInteger index = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (var user : desired.entrySet()) {
        boolean tryWrong = index.getAndIncrement() % 10 == 0;
        done.add(
            pool.submit(
                () -> {
                  ClientConnection connection = ClientConnection.of(ready, user.getKey());
                  URI url = URI.create(connection.serverUrl());
                  until(
                      () ->
                          probe
                              .probe(
                                  url.getHost(),
                                  url.getPort(),
                                  connection.fingerprint(),
                                  user.getKey().value(),
                                  SecretValue.of(user.getValue()))
                              .detail()
                              .contains("HTTP 403"),
                      Duration.ofSeconds(60));
                  accepted.incrementAndGet();
                  if (tryWrong) {
                    wrongTried.incrementAndGet();
                    String wrong =
                        probe
                            .probe(
                                url.getHost(),
                                url.getPort(),
                                connection.fingerprint(),
                                user.getKey().value(),
                                SecretValue.of(user.getValue() + "-wrong"))
                            .detail();
                    if (wrong.contains("HTTP 401")) {
                      refused.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return new LoginCheck(accepted.get(), wrongTried.get(), refused.get());
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  static void until(BooleanSupplier condition, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + patience);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Samples this JVM's kopia children every 100 ms, each attributed to the operator whose work
   * folder its {@code KOPIA_CONFIG_PATH} is under (the servers the kubelet stand-in runs are under
   * neither): how many run at once per operator, and their resident set sizes.
   */
  static final class KopiaChildren {
    private final Map<String, Path> works;
    private final Map<String, AtomicInteger> peak = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong peakRss = new AtomicLong();
    private final AtomicLong peakTotalRss = new AtomicLong();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread sampler;

    KopiaChildren(Map<String, Path> works) {
      this.works = works;
      works.keySet().forEach(k -> peak.put(k, new AtomicInteger()));
    }

    void start() {
      running.set(true);
      sampler =
          new Thread(
              () -> {
                while (running.get()) {
                  sample();
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "kopia-children-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      if (sampler != null) {
        sampler.join();
      }
    }

    /** How many kopia of {@code owner} run now. */
    int liveNow(String owner) {
      return (int)
          ProcessHandle.current()
              .descendants()
              .filter(ProcessHandle::isAlive)
              .filter(p -> owner.equals(ownerOf(p.pid())))
              .count();
    }

    private void sample() {
      Map<String, Integer> count = new LinkedHashMap<>();
      long total = 0;
      for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
        if (!p.info().command().map(c -> c.endsWith("/kopia")).orElse(false)) {
          continue;
        }
        String owner = ownerOf(p.pid());
        if (owner == null) {
          continue;
        }
        long rss = rssKib(p.pid());
        count.merge(owner, 1, Integer::sum);
        total += rss;
        peakRss.accumulateAndGet(rss, Math::max);
      }
      peakTotalRss.accumulateAndGet(total, Math::max);
      count.forEach((owner, n) -> peak.get(owner).accumulateAndGet(n, Math::max));
      samples.incrementAndGet();
    }

    private String ownerOf(long pid) {
      try {
        String environ = Files.readString(Path.of("/proc", String.valueOf(pid), "environ"));
        for (var work : works.entrySet()) {
          if (environ.contains("KOPIA_CONFIG_PATH=" + work.getValue())) {
            return work.getKey();
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        // ended meanwhile
      }
      return null;
    }

    private static long rssKib(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        // ended meanwhile
      }
      return 0;
    }

    int peakCount(String owner) {
      return peak.get(owner).get();
    }

    long peakRssKib() {
      return peakRss.get();
    }

    long peakTotalRssKib() {
      return peakTotalRss.get();
    }

    int samples() {
      return samples.get();
    }
  }
}
