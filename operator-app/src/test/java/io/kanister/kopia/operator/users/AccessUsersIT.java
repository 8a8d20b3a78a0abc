package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.FailedUser;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.operator.tokens.TokenSettings;
import io.kanister.kopia.operator.users.AccessUsers.AccessUsersSettings;
import io.kanister.kopia.operator.users.AccessUsers.UsersOutcome;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Predefined and dynamic users from a real API server (TokenRequest, RBAC) served by a real kopia
 * server. The operator acts as a user with only the RBAC rights this test grants.
 */
@RealKopia
@RealKubernetes
class AccessUsersIT {
  private static final String OPERATOR = "kopia-operator-under-test";
  private static final TokenSettings TOKENS =
      new TokenSettings("kopia-test-audience", Duration.ofMinutes(10), 0.8);

  @Test
  void dynamicAndPredefinedUsersConvergeRotateAndFailAlone(
      KopiaSandbox sandbox, TestNamespace namespace) {
    String ns = namespace.name();
    KubernetesClient admin = namespace.client();
    serviceAccount(admin, ns, "backup");
    serviceAccount(admin, ns, "locked");
    statefulSet(admin, ns, "db", "backup");
    statefulSet(admin, ns, "orphan", "missing");
    statefulSet(admin, ns, "vault", "locked");
    grantOperator(admin, ns, List.of("backup", "missing"));
    admin
        .secrets()
        .inNamespace(ns)
        .resource(
            PredefinedUsersTest.secret(
                ns,
                "access",
                Map.of(
                    "mysql-blue", "username: mysql\npassword: mysql-password-1",
                    "broken", "username: x\npassword: \"unclosed-password-value",
                    "spaced", "username: Bad Name\npassword: spaced-password-1")))
        .create();

    KubernetesClient operatorClient = namespace.cluster().clientAs(OPERATOR, "kko-test");
    MutableClock clock = new MutableClock(Instant.now());
    AccessUsers users = new AccessUsers(operatorClient, new AccessUsersSettings(TOKENS, 4), clock);
    Repository repository = repository(ns);

    try (RealKopiaServer real = RealKopiaServer.started(sandbox)) {
      UsersOutcome first = users.reconcile(repository, ns, real.operator(), real.refresher());
      ConvergenceResult result = first.result();
      assertThat(result.failures())
          .extracting(UserFailure::username, UserFailure::reason)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("broken", FailureReasons.INVALID_ACCESS_SECRET),
              org.assertj.core.groups.Tuple.tuple("spaced", FailureReasons.INVALID_USERNAME),
              org.assertj.core.groups.Tuple.tuple(
                  "missing@" + ns + ".orphan", FailureReasons.SERVICE_ACCOUNT_NOT_FOUND),
              org.assertj.core.groups.Tuple.tuple(
                  "locked@" + ns + ".vault", FailureReasons.TOKEN_REQUEST_FORBIDDEN));
      assertThat(result.toStatus().getSummary()).isEqualTo("2/6");
      assertThat(result.toStatus().getFailed())
          .extracting(FailedUser::getMessage)
          .allSatisfy(
              m ->
                  assertThat(m)
                      .doesNotContain("unclosed-password-value")
                      .doesNotContain("spaced-password-1"));
      assertThat(result.refreshed()).isTrue();
      assertThat(first.nextRotation()).isPresent();
      assertThat(first.requeueAfter(clock.instant()))
          .hasValueSatisfying(d -> assertThat(d).isPositive());

      KopiaUsername dbUser = KopiaUsername.of("backup@" + ns + ".db");
      SecretValue firstToken = password(users, repository, dbUser);
      real.connect(
          KopiaUsername.of("mysql@" + ns + ".mysql-blue"), SecretValue.of("mysql-password-1"));
      real.connect(dbUser, firstToken);

      ConvergenceResult resync =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(resync.kopiaWrites()).isZero();

      clock.advance(Duration.ofMinutes(9));
      ConvergenceResult rotated =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(rotated.updated()).isEqualTo(1);
      assertThat(rotated.refreshed()).isTrue();
      SecretValue secondToken = password(users, repository, dbUser);
      assertThat(secondToken).isNotEqualTo(firstToken);
      real.connect(dbUser, secondToken);
      assertThatThrownBy(() -> real.connect(dbUser, firstToken))
          .isInstanceOfSatisfying(
              KopiaException.class,
              e -> assertThat(e.kind()).isEqualTo(KopiaErrorKind.ACCESS_DENIED));

      admin.apps().statefulSets().inNamespace(ns).withName("db").delete();
      ConvergenceResult removed =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(removed.deleted()).isEqualTo(1);
      assertThat(real.operator().users()).noneMatch(p -> p.username().equals(dbUser));
      assertThatThrownBy(() -> real.connect(dbUser, secondToken))
          .isInstanceOf(KopiaException.class);
      real.connect(
          KopiaUsername.of("mysql@" + ns + ".mysql-blue"), SecretValue.of("mysql-password-1"));
    }
  }

  /**
   * Issue 16 section 4: a missing or broken source holds its users (they keep their password and
   * still authenticate to the real server); only a removed entry, or a deleted workload, deletes a
   * user; users the operator did not create are never touched, also after a restart.
   */
  @Test
  void usersAreHeldOnBadOrTransientInputAndAdoptedUsersSurvive(
      KopiaSandbox sandbox, TestNamespace namespace) {
    String ns = namespace.name();
    KubernetesClient admin = namespace.client();
    serviceAccount(admin, ns, "backup");
    statefulSet(admin, ns, "db", "backup");
    grantOperator(admin, ns, List.of("backup"));
    admin.secrets().inNamespace(ns).resource(accessSecret(ns, PGSQL_ENTRY)).create();
    KubernetesClient operatorClient = namespace.cluster().clientAs(OPERATOR, "kko-test");
    MutableClock clock = new MutableClock(Instant.now());
    Repository repository = repository(ns);
    KopiaUsername mysql = KopiaUsername.of("mysql@" + ns + ".mysql-blue");
    KopiaUsername postgres = KopiaUsername.of("postgres@" + ns + ".pgsql");
    KopiaUsername backup = KopiaUsername.of("backup@" + ns + ".db");
    // Adopted: the repository had these before the operator; their hosts are under the target.
    KopiaUsername alice = KopiaUsername.of("alice@" + ns + ".people");
    KopiaUsername other = KopiaUsername.of("x@" + ns + ".mysql-blue");

    try (RealKopiaServer real = RealKopiaServer.started(sandbox)) {
      real.operator()
          .addUser(alice, io.kanister.kopia.core.user.UserPasswordHash.create(ALICE_PASSWORD));
      real.operator()
          .addUser(other, io.kanister.kopia.core.user.UserPasswordHash.create(ALICE_PASSWORD));
      AccessUsers users =
          new AccessUsers(operatorClient, new AccessUsersSettings(TOKENS, 4), clock);
      ConvergenceResult first =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(first.ready()).as(first.summary()).isTrue();
      assertThat(first.deleted()).isZero();
      assertThat(serverUsers(real)).contains(mysql, postgres, backup, alice, other);
      SecretValue token = password(users, repository, backup);
      assertThat(recorded(admin, ns)).contains(mysql.value(), postgres.value(), backup.value());
      assertThat(recorded(admin, ns)).doesNotContain(alice.value(), other.value());

      // The access Secret is deleted (or being recreated): everyone is held, nobody locked out.
      admin.secrets().inNamespace(ns).withName("access").delete();
      awaitGone(admin, ns, "access");
      ConvergenceResult missing =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(missing.deleted()).isZero();
      assertThat(missing.held()).isEqualTo(2);
      assertThat(missing.reason()).isEqualTo(FailureReasons.ACCESS_SECRET_NOT_FOUND);
      assertThat(missing.summary()).contains(ns + "/access", "keep their last password");
      assertThat(serverUsers(real)).contains(mysql, postgres, backup, alice, other);
      real.connect(mysql, MYSQL_PASSWORD);
      real.connect(postgres, PGSQL_PASSWORD);

      // Recreated with the pgsql entry broken: mysql is served again, postgres held.
      admin.secrets().inNamespace(ns).resource(accessSecret(ns, BROKEN_ENTRY)).create();
      ConvergenceResult broken =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(broken.deleted()).isZero();
      assertThat(broken.held()).isEqualTo(1);
      assertThat(broken.failures())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.username()).isEqualTo("pgsql");
                assertThat(f.reason()).isEqualTo(FailureReasons.INVALID_ACCESS_SECRET);
                assertThat(f.message()).contains("key 'pgsql'").doesNotContain("unclosed");
              });
      real.connect(postgres, PGSQL_PASSWORD);

      // Fixed again: everything ready, nothing written for the held user (its password matches).
      replaceAccessSecret(admin, ns, PGSQL_ENTRY);
      ConvergenceResult fixed =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(fixed.ready()).as(fixed.summary()).isTrue();
      assertThat(fixed.kopiaWrites()).isZero();

      // The entry is removed from a Secret the operator could read: now postgres goes.
      replaceAccessSecret(admin, ns, null);
      ConvergenceResult removed =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(removed.deleted()).isEqualTo(1);
      assertThat(serverUsers(real)).doesNotContain(postgres).contains(mysql, alice, other);
      assertThatThrownBy(() -> real.connect(postgres, PGSQL_PASSWORD))
          .isInstanceOf(KopiaException.class);

      // The TokenRequest fails when the token is due: the workload keeps its last token.
      revokeTokens(admin, ns);
      clock.advance(Duration.ofMinutes(9));
      ConvergenceResult noToken =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(noToken.deleted()).isZero();
      assertThat(noToken.failures())
          .extracting(UserFailure::username, UserFailure::reason)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  backup.value(), FailureReasons.TOKEN_REQUEST_FORBIDDEN));
      assertThat(noToken.reason()).isEqualTo(FailureReasons.TOKEN_REQUEST_FORBIDDEN);
      real.connect(backup, token);

      // An operator restart (no memory) still knows which users it made, and the rest stay.
      AccessUsers restarted =
          new AccessUsers(operatorClient, new AccessUsersSettings(TOKENS, 4), clock);
      repository.getSpec().getServer().setAccessSecretNames(List.of());
      ConvergenceResult afterRestart =
          restarted.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(afterRestart.deleted()).as("mysql: its Secret left the list").isEqualTo(1);
      assertThat(afterRestart.held()).as("backup: no token yet").isEqualTo(1);
      assertThat(serverUsers(real)).contains(alice, other, backup).doesNotContain(mysql);
      real.connect(alice, ALICE_PASSWORD);
      real.connect(backup, token);

      // The workload is deleted: only now does its user go.
      admin.apps().statefulSets().inNamespace(ns).withName("db").delete();
      awaitNoStatefulSet(admin, ns, "db");
      ConvergenceResult gone =
          restarted.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(gone.deleted()).isEqualTo(1);
      assertThat(serverUsers(real)).contains(alice, other).doesNotContain(backup);
      assertThat(recorded(admin, ns)).isBlank();
    }
  }

  private static final SecretValue MYSQL_PASSWORD = SecretValue.of("mysql-password-1");
  private static final SecretValue PGSQL_PASSWORD = SecretValue.of("pgsql-password-1");
  private static final SecretValue ALICE_PASSWORD = SecretValue.of("alice-password-1");
  private static final String PGSQL_ENTRY = "username: postgres\npassword: pgsql-password-1";
  private static final String BROKEN_ENTRY = "username: postgres\npassword: \"unclosed-value";

  private static io.fabric8.kubernetes.api.model.Secret accessSecret(String ns, String pgsql) {
    Map<String, String> entries = new java.util.LinkedHashMap<>();
    entries.put("mysql-blue", "username: mysql\npassword: mysql-password-1");
    if (pgsql != null) {
      entries.put("pgsql", pgsql);
    }
    return PredefinedUsersTest.secret(ns, "access", entries);
  }

  private static void replaceAccessSecret(KubernetesClient admin, String ns, String pgsql) {
    admin
        .secrets()
        .inNamespace(ns)
        .withName("access")
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(accessSecret(ns, pgsql).getStringData());
              return s;
            });
  }

  private static List<KopiaUsername> serverUsers(RealKopiaServer real) {
    return real.operator().users().stream()
        .map(io.kanister.kopia.core.user.UserProfile::username)
        .toList();
  }

  private static String recorded(KubernetesClient admin, String ns) {
    var configMap =
        admin
            .configMaps()
            .inNamespace(ns)
            .withName(ManagedUsersConfigMap.name(repository(ns)))
            .get();
    assertThat(configMap).as("the record of created users").isNotNull();
    return configMap.getData().get(ManagedUsersConfigMap.KEY);
  }

  private static void revokeTokens(KubernetesClient admin, String ns) {
    admin
        .rbac()
        .roles()
        .inNamespace(ns)
        .withName("operator")
        .edit(
            role -> {
              role.getRules().removeIf(r -> r.getResources().contains("serviceaccounts/token"));
              return role;
            });
  }

  private static void awaitGone(KubernetesClient admin, String ns, String secret) {
    admin
        .secrets()
        .inNamespace(ns)
        .withName(secret)
        .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static void awaitNoStatefulSet(KubernetesClient admin, String ns, String name) {
    admin
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .withName(name)
        .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** The token the operator holds for a user: its dynamic users' current desired password. */
  private static SecretValue password(
      AccessUsers users, Repository repository, KopiaUsername user) {
    return users.currentPassword(repository, user).orElseThrow();
  }

  private static Repository repository(String ns) {
    Repository repository = new Repository();
    repository.getMetadata().setNamespace(ns);
    repository.getMetadata().setName("repo");
    repository.getMetadata().setUid("uid-" + ns);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace(ns);
    ServerSpec server = new ServerSpec();
    server.setAccessSecretNames(List.of("access"));
    spec.setServer(server);
    repository.setSpec(spec);
    return repository;
  }

  private static void serviceAccount(KubernetesClient client, String ns, String name) {
    client
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .build())
        .create();
  }

  private static void statefulSet(
      KubernetesClient client, String ns, String name, String serviceAccount) {
    StatefulSet statefulSet =
        TestWorkloads.statefulSet(
            ns,
            name,
            serviceAccount,
            Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT),
            Map.of());
    client.apps().statefulSets().inNamespace(ns).resource(statefulSet).create();
  }

  /** Reading what the operator reads, and tokens only for the named ServiceAccounts. */
  private static void grantOperator(KubernetesClient client, String ns, List<String> tokenFor) {
    client
        .rbac()
        .roles()
        .inNamespace(ns)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("operator")
                .withNamespace(ns)
                .endMetadata()
                .withRules(
                    new PolicyRuleBuilder()
                        .withApiGroups("apps")
                        .withResources("statefulsets", "deployments", "daemonsets")
                        .withVerbs("get", "list", "watch")
                        .build(),
                    new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("secrets")
                        .withVerbs("get")
                        .build(),
                    new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("get", "create", "update")
                        .build(),
                    new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("serviceaccounts/token")
                        .withResourceNames(tokenFor)
                        .withVerbs("create")
                        .build())
                .build())
        .create();
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("operator")
                .withNamespace(ns)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "operator")
                .addNewSubject()
                .withKind("User")
                .withApiGroup("rbac.authorization.k8s.io")
                .withName(OPERATOR)
                .endSubject()
                .build())
        .create();
  }
}
