package io.kanister.kopia.operator.repository;

import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.condition;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.markAvailable;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.reconciler;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.secret;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.secrets;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.serviceName;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.PolicyCommands;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.policy.TargetedPolicySpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 P4, at most one kopia read per Repository per resync, on the real parts: the real
 * reconciler with its users step, a real API server, a real Kopia server and the real kopia. A
 * steady pass runs one {@code manifest list} and nothing else; a policy or a user changed by
 * another client changes the manifests, so the next pass still reads, finds and corrects it (issue
 * 16 §6: drift is corrected within one resync).
 */
@RealKopia
@RealKubernetes
class SteadyPassReadsIT {
  private static final String NAME = "repository-reads";
  private static final String ALICE_TARGET = "alice@db:/data";
  private static final KopiaUsername MYSQL = KopiaUsername.of("mysql@reads.mysql-blue");
  private static final String MYSQL_PASSWORD = "mysql-blue-password-1";

  @Test
  void aSteadyPassReadsOnceAndDriftIsStillCorrectedAtTheNextPass(
      KopiaSandbox sandbox, TestNamespace ns, @TempDir Path work) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    TestPki.Issued tls = ServedRepositoryFixture.localTls("reads-it");
    try (RealKopiaServer real = RealKopiaServer.started(sandbox, tls)) {
      secrets(client, ns.name(), "reads", tls, real);
      access(client, ns.name(), MYSQL_PASSWORD);
      Repository repository = repository(ns.name());
      client.resource(repository).create();
      int port = URI.create(real.url()).getPort();
      ServerEndpointResolver endpoints = (host, p) -> "127.0.0.1:" + port;
      RealKopiaReconciler.Counting kopia =
          new RealKopiaReconciler.Counting(
              new io.kanister.kopia.core.exec.ProcessKopiaRunner(sandbox.binary()));
      Kopia other = real.operator();

      try (ServedRepositoryFixture.Caches caches =
          ServedRepositoryFixture.Caches.started(client, ns.name())) {
        RepositoryReconciler reconciler =
            reconciler(
                client,
                client,
                caches.repositories(),
                caches.secrets(),
                kopia,
                endpoints,
                work,
                "reads-it");
        Request request = new Request(ns.name(), NAME);
        Pass pass = new Pass(reconciler, request, kopia);

        pass.run();
        markAvailable(client, ns.name(), serviceName(client, repository));
        List<String> first = pass.run();
        System.out.printf("[figures] first serving pass: %s%n", first);
        assertThat(condition(client, repository, "UsersReady")).isEqualTo("True/Registered");
        assertThat(condition(client, repository, "PolicyApplied")).isEqualTo("True/Applied");
        assertThat(first).contains("manifest list", "server users add", "server refresh");

        // The pass after the writes sees new manifests, so it checks them once, writing nothing.
        List<String> check = pass.run();
        System.out.printf("[figures] pass after the writes: %s%n", check);
        assertThat(check).containsExactly("manifest list", "server users list");

        // Steady: one kopia read per pass, for policies, users and emptied storage together.
        for (int i = 0; i < 3; i++) {
          List<String> steady = pass.run();
          System.out.printf("[figures] steady pass: %d kopia read(s) %s%n", steady.size(), steady);
          assertThat(steady).containsExactly("manifest list");
        }
        assertThat(condition(client, repository, "UsersReady")).isEqualTo("True/Registered");
        assertThat(condition(client, repository, "ServerReady")).isEqualTo("True/Serving");

        // A policy changed by another client is put back at the next pass.
        other.run(PolicyCommands.setArguments(List.of(ALICE_TARGET, "--keep-daily=3")));
        List<String> policyDrift = pass.run();
        System.out.printf("[figures] out-of-band policy edit: %s%n", policyDrift);
        assertThat(policyDrift)
            .containsExactly("manifest list", "policy list", "policy set", "policy list");
        assertThat(keepDaily(other)).isEqualTo(14);
        assertThat(pass.run()).containsExactly("manifest list", "policy list");
        assertThat(pass.run()).containsExactly("manifest list");

        // A user deleted by another client is added back at the next pass.
        other.deleteUser(MYSQL);
        List<String> deleted = pass.run();
        System.out.printf("[figures] out-of-band user delete: %s%n", deleted);
        assertThat(deleted)
            .containsExactly(
                "manifest list", "server users list", "server users add", "server refresh");
        assertThat(passwordOf(other)).isPresent();
        settle(pass);

        // A password set by another client is set back at the next pass.
        other.setUser(MYSQL, UserPasswordHash.create(SecretValue.of("someone-elses-password")));
        List<String> changed = pass.run();
        System.out.printf("[figures] out-of-band password change: %s%n", changed);
        assertThat(changed)
            .containsExactly(
                "manifest list", "server users list", "server users set", "server refresh");
        assertThat(passwordOf(other).orElseThrow().verify(SecretValue.of(MYSQL_PASSWORD)))
            .isEqualTo(io.kanister.kopia.core.user.PasswordVerification.MATCH);
        settle(pass);

        // A user another client adds is seen at the next pass, and left alone: it is not the
        // operator's (users.md: foreign users are never touched).
        KopiaUsername foreign = KopiaUsername.of("mover@elsewhere");
        other.addUser(foreign, UserPasswordHash.create(SecretValue.of("mover-password-1")));
        List<String> added = pass.run();
        System.out.printf("[figures] out-of-band user add: %s%n", added);
        assertThat(added).containsExactly("manifest list", "server users list");
        assertThat(other.users()).extracting(UserProfile::username).contains(foreign, MYSQL);
        assertThat(pass.run()).containsExactly("manifest list");

        // The record of created users deleted by someone: written again at the next pass (it is
        // what keeps the operator from deleting users it did not create), with no kopia write.
        String recordName =
            io.kanister.kopia.operator.users.ManagedUsersConfigMap.name(
                client.resource(repository).get());
        client.configMaps().inNamespace(ns.name()).withName(recordName).delete();
        List<String> recordGone = pass.run();
        System.out.printf("[figures] users record deleted: %s%n", recordGone);
        assertThat(recordGone).containsExactly("manifest list", "server users list");
        assertThat(client.configMaps().inNamespace(ns.name()).withName(recordName).get())
            .as("the users record, written again")
            .isNotNull()
            .satisfies(c -> assertThat(c.getData().get("users")).contains("mysql"));
        assertThat(pass.run()).containsExactly("manifest list");

        // A new desired password (the access Secret edited) converges at the next pass, though
        // Kopia's manifests did not change.
        access(client, ns.name(), "mysql-blue-password-2");
        awaitSecret(caches.secrets(), ns.name(), "reads-access", "mysql-blue-password-2");
        List<String> rotated = pass.run();
        System.out.printf("[figures] desired password change: %s%n", rotated);
        assertThat(rotated)
            .containsExactly(
                "manifest list", "server users list", "server users set", "server refresh");
        assertThat(passwordOf(other).orElseThrow().verify(SecretValue.of("mysql-blue-password-2")))
            .isEqualTo(io.kanister.kopia.core.user.PasswordVerification.MATCH);
        settle(pass);

        // A restarted operator (empty memory) reads in full once, writes nothing, then is steady.
        RealKopiaReconciler.Counting afterRestart =
            new RealKopiaReconciler.Counting(
                new io.kanister.kopia.core.exec.ProcessKopiaRunner(sandbox.binary()));
        Pass restarted =
            new Pass(
                reconciler(
                    client,
                    client,
                    caches.repositories(),
                    caches.secrets(),
                    afterRestart,
                    endpoints,
                    work.resolve("again"),
                    "reads-it"),
                request,
                afterRestart);
        List<String> firstAfterRestart = restarted.run();
        System.out.printf("[figures] first pass after a restart: %s%n", firstAfterRestart);
        assertThat(firstAfterRestart).noneMatch(RepositoryInvariants::writes);
        assertThat(firstAfterRestart).contains("manifest list", "policy list", "server users list");
        assertThat(restarted.run()).containsExactly("manifest list");
      }
    }
  }

  /** After a pass that wrote: one checking pass, then the steady single read. */
  private static void settle(Pass pass) {
    assertThat(pass.run()).containsExactly("manifest list", "server users list");
    assertThat(pass.run()).containsExactly("manifest list");
  }

  private record Pass(
      RepositoryReconciler reconciler, Request request, RealKopiaReconciler.Counting kopia) {
    List<String> run() {
      int mark = kopia.mark();
      try {
        reconciler.reconcile(request);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return kopia.since(mark);
    }
  }

  private static java.util.Optional<UserPasswordHash> passwordOf(Kopia kopia) {
    return kopia.users().stream()
        .filter(u -> u.username().equals(MYSQL))
        .map(UserProfile::passwordHash)
        .findFirst();
  }

  private static int keepDaily(Kopia kopia) {
    return kopia
        .policies()
        .definedFor(PolicyTarget.parse(ALICE_TARGET))
        .retention()
        .keepDaily()
        .orElse(-1);
  }

  private static void awaitSecret(
      InformerCache<io.fabric8.kubernetes.api.model.Secret> secrets,
      String namespace,
      String name,
      String password)
      throws InterruptedException {
    String encoded =
        java.util.Base64.getEncoder()
            .encodeToString(
                ("username: mysql\npassword: " + password)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (int i = 0; i < 100; i++) {
      var secret = secrets.get(namespace, name);
      if (secret.isPresent() && encoded.equals(secret.get().getData().get("mysql-blue"))) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private static void access(KubernetesClient client, String namespace, String password) {
    secret(
        client,
        namespace,
        "reads-access",
        Map.of("mysql-blue", "username: mysql\npassword: " + password));
  }

  private static Repository repository(String namespace) {
    Repository repository = ServedRepositoryFixture.repository(namespace, NAME, "reads", "reads");
    RepositorySpec spec = repository.getSpec();
    ServerSpec server = spec.getServer();
    server.setAccessSecretNames(new ArrayList<>(List.of("reads-access")));
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setKeepDaily(14);
    spec.setPolicies(new ArrayList<>(List.of(new TargetedPolicySpec(ALICE_TARGET, policy))));
    return repository;
  }
}
