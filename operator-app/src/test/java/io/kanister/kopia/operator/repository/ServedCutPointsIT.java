package io.kanister.kopia.operator.repository;

import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.conditions;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.converged;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.localTls;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.markAvailableOnce;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.reconciler;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.secret;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.secrets;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.policy.TargetedPolicySpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.users.RealKopiaServer;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator killed at each cut point of a served Repository's first convergence, and a fresh
 * process (new reconciler, new users memory, new work folder) taking over: after the policy set,
 * after each user add, after the last add and before the server refresh, after the config Secret
 * and after the Deployment. A kopia cut lets the first N commands run and refuses every later one,
 * as a dead process would; an object cut leaves the API holding what the dead process had written
 * by then (the objects it writes later in the pass deleted). Each ends with every user logging in
 * to the real Kopia server with its password (so the server re-read its users), the policy applied,
 * the repository's identity and format blob unchanged, no blob removed, and a steady pass without a
 * kopia write. Real API server, real kopia, a real Kopia server per cut.
 */
@RealKopia
@RealKubernetes
@Tag("battery")
class ServedCutPointsIT {
  private static final Map<String, String> USERS =
      Map.of("alpha", "alpha-password-1", "beta", "beta-password-2", "gamma", "gamma-password-3");
  private static final int MAX_PASSES = 8;

  /** {@code allowedKopia} commands run before the cut; {@code deleted}: objects written later. */
  private record CutPoint(String name, int allowedKopia, List<String> deleted) {}

  @Test
  void aFreshProcessConvergesAfterACutAtEachWriteOfAServedFirstConvergence(
      KopiaSandbox sandbox, TestNamespace ns, @TempDir Path work) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    TestPki.Issued tls = localTls("served-cuts");
    try (ServedRepositoryFixture.Caches caches =
        ServedRepositoryFixture.Caches.started(client, ns.name())) {
      Scenario scenario =
          new Scenario(
              sandbox, client, ns.name(), caches.repositories(), caches.secrets(), tls, work);

      List<String> uncut =
          scenario.run(new CutPoint("reference", Integer.MAX_VALUE, List.of()), true);
      System.out.printf("[figures] served cut points: an uncut first convergence runs %s%n", uncut);
      List<CutPoint> cuts = new ArrayList<>();
      for (int i = 0; i < uncut.size(); i++) {
        String verb = uncut.get(i);
        if (verb.equals("policy set") || verb.equals("server users add")) {
          cuts.add(new CutPoint("after " + verb + " (command " + (i + 1) + ")", i + 1, List.of()));
        }
      }
      assertThat(cuts)
          .as("cuts after the policy set and after each of the %d user adds", USERS.size())
          .hasSize(1 + USERS.size());
      assertThat(uncut.get(cuts.get(cuts.size() - 1).allowedKopia()))
          .as("the command after the last user add")
          .isEqualTo("server refresh");
      cuts.add(new CutPoint("after the config Secret", Integer.MAX_VALUE, List.of("deployment")));
      cuts.add(new CutPoint("after the Deployment", Integer.MAX_VALUE, List.of("service")));
      for (CutPoint cut : cuts) {
        scenario.run(cut, false);
      }
    }
  }

  /** One Repository on its own real Kopia server, first converged by a process cut somewhere. */
  private static final class Scenario {
    private final KopiaSandbox sandbox;
    private final KubernetesClient client;
    private final String namespace;
    private final InformerCache<Repository> cache;
    private final InformerCache<Secret> secretCache;
    private final TestPki.Issued tls;
    private final Path work;
    private int count;

    Scenario(
        KopiaSandbox sandbox,
        KubernetesClient client,
        String namespace,
        InformerCache<Repository> cache,
        InformerCache<Secret> secretCache,
        TestPki.Issued tls,
        Path work) {
      this.sandbox = sandbox;
      this.client = client;
      this.namespace = namespace;
      this.cache = cache;
      this.secretCache = secretCache;
      this.tls = tls;
      this.work = work;
    }

    /**
     * @param reference run the first process to convergence and return its kopia commands
     * @return the kopia commands the first process ran
     */
    List<String> run(CutPoint cut, boolean reference) throws Exception {
      String app = "cut" + count++;
      String name = "repository-" + app;
      try (RealKopiaServer real = RealKopiaServer.started(sandbox, tls, "repo-" + app)) {
        secrets(client, namespace, app, tls, real);
        Map<String, String> entries = new LinkedHashMap<>();
        USERS.forEach((key, password) -> entries.put(key, "username: u\npassword: " + password));
        secret(client, namespace, app + "-access", entries);
        Repository repository = ServedRepositoryFixture.repository(namespace, name, app, app);
        repository.getSpec().getServer().setAccessSecretNames(List.of(app + "-access"));
        RepositoryPolicySpec policy = new RepositoryPolicySpec();
        policy.setKeepDaily(9);
        repository
            .getSpec()
            .setPolicies(new ArrayList<>(List.of(new TargetedPolicySpec("u@db:/data", policy))));
        client.resource(repository).create();
        awaitCached(name, app);
        int port = URI.create(real.url()).getPort();
        ServerEndpointResolver endpoints = (host, p) -> "127.0.0.1:" + port;
        RepositoryInvariants.Storage files = RepositoryInvariants.filesystem(real.repositoryPath());
        byte[] format = files.formatBlob();
        Set<String> blobs = files.blobs();
        Request request = new Request(namespace, name);

        RealKopiaReconciler.Counting firstKopia =
            new RealKopiaReconciler.Counting(new ProcessKopiaRunner(sandbox.binary()));
        CutPointsIT.Cut cutRunner = new CutPointsIT.Cut(firstKopia);
        cutRunner.after(cut.allowedKopia());
        RepositoryReconciler first =
            reconciler(
                client,
                client,
                cache,
                secretCache,
                cutRunner,
                endpoints,
                work.resolve(app + "-a"),
                "served-cuts");
        for (int pass = 0; pass < (reference ? MAX_PASSES : 3); pass++) {
          try {
            first.reconcile(request);
          } catch (Exception e) {
            // The process died at the cut.
          }
          if (!cut.deleted().isEmpty()) {
            String server = serverName(name);
            if (cut.deleted().contains("deployment")) {
              client.apps().deployments().inNamespace(namespace).withName(server).delete();
            }
            client.services().inNamespace(namespace).withName(server).delete();
            break;
          }
          markAvailableOnce(client, namespace, name);
          if (reference && converged(client, namespace, name)) {
            return firstKopia.since(0);
          }
        }
        assertThat(reference)
            .as("the uncut process did not converge within %d passes", MAX_PASSES)
            .isFalse();

        // A fresh process takes over.
        RealKopiaReconciler.Counting kopia =
            new RealKopiaReconciler.Counting(new ProcessKopiaRunner(sandbox.binary()));
        RepositoryReconciler fresh =
            reconciler(
                client,
                client,
                cache,
                secretCache,
                kopia,
                endpoints,
                work.resolve(app + "-b"),
                "served-cuts");
        long start = System.nanoTime();
        int passes = 0;
        while (!converged(client, namespace, name)) {
          assertThat(++passes)
              .as(
                  "passes of the fresh process after the cut %s; conditions %s",
                  cut.name(), conditions(client, namespace, name))
              .isLessThanOrEqualTo(MAX_PASSES);
          fresh.reconcile(request);
          markAvailableOnce(client, namespace, name);
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        for (Map.Entry<String, String> user : USERS.entrySet()) {
          // A login the server accepts: only after it re-read its users.
          real.connect(
              KopiaUsername.of("u@" + app + "." + user.getKey()), SecretValue.of(user.getValue()));
        }
        assertThat(files.formatBlob())
            .as("format blob after the cut %s", cut.name())
            .isEqualTo(format);
        assertThat(files.blobs()).as("blobs after the cut %s", cut.name()).containsAll(blobs);
        int mark = kopia.mark();
        fresh.reconcile(request);
        List<String> steady = kopia.since(mark);
        assertThat(steady)
            .as("a steady pass after the cut %s", cut.name())
            .noneMatch(RepositoryInvariants::writes);
        System.out.printf(
            "[figures] served cut %s: the dead process ran %s; a fresh one converged in %d"
                + " pass(es), %d ms, ran %s; all %d users log in; format blob unchanged, %d"
                + " blobs kept; steady pass %s%n",
            cut.name(),
            firstKopia.since(0),
            passes,
            millis,
            kopia.since(0).subList(0, mark),
            USERS.size(),
            blobs.size(),
            steady);
        return firstKopia.since(0);
      }
    }

    private String serverName(String name) {
      Repository now =
          client.resources(Repository.class).inNamespace(namespace).withName(name).get();
      return now.getStatus().getServer().getServiceName();
    }

    private void awaitCached(String name, String app) throws InterruptedException {
      for (int i = 0; i < 200; i++) {
        if (cache.get(namespace, name).isPresent()
            && secretCache.get(namespace, app + "-access").isPresent()
            && secretCache.get(namespace, app + "-admin").isPresent()
            && secretCache.get(namespace, app + "-tls").isPresent()
            && secretCache.get(namespace, app + "-location").isPresent()) {
          return;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("the caches never saw Repository " + name);
    }
  }
}
