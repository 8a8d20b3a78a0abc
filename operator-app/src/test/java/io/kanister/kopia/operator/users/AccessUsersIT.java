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
import io.kanister.kopia.core.secret.Secret;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.FailedUser;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
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
      Secret firstToken = password(users, repository, dbUser);
      real.connect(KopiaUsername.of("mysql@" + ns + ".mysql-blue"), Secret.of("mysql-password-1"));
      real.connect(dbUser, firstToken);

      ConvergenceResult resync =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(resync.kopiaWrites()).isZero();

      clock.advance(Duration.ofMinutes(9));
      ConvergenceResult rotated =
          users.reconcile(repository, ns, real.operator(), real.refresher()).result();
      assertThat(rotated.updated()).isEqualTo(1);
      assertThat(rotated.refreshed()).isTrue();
      Secret secondToken = password(users, repository, dbUser);
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
      real.connect(KopiaUsername.of("mysql@" + ns + ".mysql-blue"), Secret.of("mysql-password-1"));
    }
  }

  /** The token the operator holds for a user: its dynamic users' current desired password. */
  private static Secret password(AccessUsers users, Repository repository, KopiaUsername user) {
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
