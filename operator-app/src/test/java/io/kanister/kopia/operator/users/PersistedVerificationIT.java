package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.operator.users.ManagedUsersConfigMap.UsersKeySecret;
import io.kanister.kopia.operator.users.UsersConverger.ServerRefresher;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 P3: an operator restart verifies no stored password and writes nothing when nothing
 * changed, with the digests in the record ConfigMap and their key in a Secret on a real API server,
 * and the users in a real kopia repository; a hash changed out of band is still found.
 */
@RealKopia
@RealKubernetes
class PersistedVerificationIT {
  private static final KopiaUsername MYSQL = KopiaUsername.of("mysql@monitoring.mysql-blue");
  private static final KopiaUsername PGSQL = KopiaUsername.of("pgsql@monitoring.pgsql-green");
  private static final ServerRefresher NONE = () -> {};

  @Test
  void aRestartTrustsTheRecordedDigestsAndAnOutOfBandChangeIsSetBack(
      KopiaSandbox sandbox, TestNamespace namespace) {
    KubernetesClient client = namespace.client();
    Repository repository = repository(namespace.name());
    DesiredUsers desired = desired(MYSQL, "mysql-password-1", PGSQL, "pgsql-password-1");
    try (RealKopiaServer real = RealKopiaServer.repositoryOnly(sandbox)) {
      UsersConverger first = new UsersConverger(4, new UsersKeySecret(client, repository));
      ConvergenceResult created =
          first.converge(
              real.operator(), desired, new ManagedUsersConfigMap(client, repository), NONE);
      assertThat(created.added()).isEqualTo(2);

      Secret key =
          client
              .secrets()
              .inNamespace(namespace.name())
              .withName(UsersKeySecret.name(repository))
              .get();
      assertThat(key).as("the key Secret, made on first use").isNotNull();
      assertThat(Base64.getDecoder().decode(key.getData().get(UsersKeySecret.KEY))).hasSize(32);
      assertThat(key.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(repository.getMetadata().getUid()));
      ConfigMap record =
          client
              .configMaps()
              .inNamespace(namespace.name())
              .withName(ManagedUsersConfigMap.name(repository))
              .get();
      String digests = record.getData().get(ManagedUsersConfigMap.VERIFIED_KEY);
      assertThat(digests.lines()).hasSize(2).allMatch(l -> l.matches("\\S+ [0-9a-f]{32}"));
      assertThat(record.getData().toString())
          .doesNotContain("mysql-password-1", "pgsql-password-1");

      // A new operator process: nothing in memory, the same Secret and record.
      int writesBefore = real.counting().userWrites();
      UsersConverger restarted = new UsersConverger(4, new UsersKeySecret(client, repository));
      ConvergenceResult resync =
          restarted.converge(
              real.operator(), desired, new ManagedUsersConfigMap(client, repository), NONE);
      assertThat(resync.unchanged()).isEqualTo(2);
      assertThat(restarted.passwordDerivations()).as("PBKDF2 verifications").isZero();
      assertThat(real.counting().userWrites()).isEqualTo(writesBefore);

      // Someone sets mysql's password by hand: found, and set back, after another restart.
      real.operator().setUser(MYSQL, UserPasswordHash.create(SecretValue.of("set-by-a-person-1")));
      UsersConverger again = new UsersConverger(4, new UsersKeySecret(client, repository));
      ConvergenceResult repaired =
          again.converge(
              real.operator(), desired, new ManagedUsersConfigMap(client, repository), NONE);
      assertThat(repaired.updated()).isEqualTo(1);
      assertThat(repaired.unchanged()).isEqualTo(1);
      assertThat(again.passwordDerivations()).isEqualTo(1);
      assertThat(
              real.operator().users().stream()
                  .filter(p -> p.username().equals(MYSQL))
                  .findFirst()
                  .orElseThrow()
                  .passwordHash()
                  .verify(SecretValue.of("mysql-password-1")))
          .isEqualTo(io.kanister.kopia.core.user.PasswordVerification.MATCH);
    }
  }

  private static DesiredUsers desired(Object... userAndPassword) {
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    for (int i = 0; i < userAndPassword.length; i += 2) {
      KopiaUsername name = (KopiaUsername) userAndPassword[i];
      users.put(
          name,
          new DesiredUser(
              name,
              SecretValue.of((String) userAndPassword[i + 1]),
              "test",
              MemoryRecord.originOf(name)));
    }
    return new DesiredUsers(users, List.of());
  }

  private static Repository repository(String ns) {
    Repository repository = new Repository();
    repository.getMetadata().setNamespace(ns);
    repository.getMetadata().setName("repo");
    repository.getMetadata().setUid("uid-" + ns);
    return repository;
  }
}
