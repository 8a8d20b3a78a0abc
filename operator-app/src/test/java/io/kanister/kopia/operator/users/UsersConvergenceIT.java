package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.operator.users.UsersConverger.ServerRefresher;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Convergence on a real filesystem repository served by a real kopia server. */
@RealKopia
class UsersConvergenceIT {
  /** The operator made STALE earlier; FOREIGN was there before it (adopted). */
  private final MemoryRecord record = MemoryRecord.of(STALE.value());

  private static final KopiaUsername MYSQL = KopiaUsername.of("mysql@monitoring.mysql-blue");
  private static final KopiaUsername PGSQL = KopiaUsername.of("pgsql@monitoring.pgsql-green");
  private static final KopiaUsername FOREIGN = KopiaUsername.of("alice@laptop");
  private static final KopiaUsername STALE = KopiaUsername.of("old@monitoring.removed");

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

  @Test
  void addsSetsDeletesWithOneRefreshAndResyncsWithoutWrites(KopiaSandbox sandbox) {
    try (RealKopiaServer real = RealKopiaServer.started(sandbox)) {
      real.operator().addUser(FOREIGN, UserPasswordHash.create(SecretValue.of("alice-password-1")));
      real.operator().addUser(STALE, UserPasswordHash.create(SecretValue.of("stale-password-1")));
      UsersConverger converger = new UsersConverger(4);

      ConvergenceResult first =
          converger.converge(
              real.operator(),
              desired(MYSQL, "mysql-password-1", PGSQL, "pgsql-password-1"),
              record,
              real.refresher());
      assertThat(first.added()).isEqualTo(2);
      assertThat(first.deleted()).isEqualTo(1);
      assertThat(first.kopiaWrites()).isEqualTo(3);
      assertThat(first.refreshed()).isTrue();
      assertThat(real.refreshes()).isEqualTo(1);
      assertThat(first.toStatus().getSummary()).isEqualTo("2/2");
      assertThat(real.operator().users())
          .extracting(UserProfile::username)
          .containsExactlyInAnyOrder(FOREIGN, MYSQL, PGSQL);
      real.connect(MYSQL, SecretValue.of("mysql-password-1"));

      int writesBefore = real.counting().userWrites();
      int invocationsBefore = real.counting().invocations();
      ConvergenceResult resync =
          converger.converge(
              real.operator(),
              desired(MYSQL, "mysql-password-1", PGSQL, "pgsql-password-1"),
              record,
              real.refresher());
      assertThat(resync.kopiaWrites()).isZero();
      assertThat(resync.refreshed()).isFalse();
      assertThat(real.counting().userWrites()).isEqualTo(writesBefore);
      assertThat(real.counting().invocations() - invocationsBefore)
          .as("only 'server users list'")
          .isEqualTo(1);
      assertThat(real.refreshes()).isEqualTo(1);

      ConvergenceResult changed =
          converger.converge(
              real.operator(), desired(MYSQL, "mysql-password-2"), record, real.refresher());
      assertThat(changed.updated()).isEqualTo(1);
      assertThat(changed.deleted()).isEqualTo(1);
      assertThat(changed.kopiaWrites()).isEqualTo(2);
      assertThat(real.refreshes()).isEqualTo(2);
      real.connect(MYSQL, SecretValue.of("mysql-password-2"));
      assertThatThrownBy(() -> real.connect(MYSQL, SecretValue.of("mysql-password-1")))
          .isInstanceOfSatisfying(
              KopiaException.class,
              e -> assertThat(e.kind()).isEqualTo(KopiaErrorKind.ACCESS_DENIED));
      assertThatThrownBy(() -> real.connect(PGSQL, SecretValue.of("pgsql-password-1")))
          .isInstanceOf(KopiaException.class);
      assertThat(real.operator().users())
          .extracting(UserProfile::username)
          .containsExactlyInAnyOrder(FOREIGN, MYSQL);
    }
  }

  @Test
  void aFreshOperatorVerifiesStoredHashesOnceAndThenWritesNothing(KopiaSandbox sandbox) {
    try (RealKopiaServer real = RealKopiaServer.repositoryOnly(sandbox)) {
      real.operator().addUser(MYSQL, UserPasswordHash.create(SecretValue.of("mysql-password-1")));
      // A version-1 (scrypt) hash as kopia itself makes: it cannot be verified, so it is set once.
      real.operator()
          .run(
              io.kanister.kopia.core.command.KopiaCommand.of(
                  List.of(
                      "server",
                      "users",
                      "add",
                      PGSQL.value(),
                      // Test only: a fixture password, the one way to make kopia hash it itself.
                      "--user-password=pgsql-password-1")));
      ServerRefresher none = () -> {};
      UsersConverger restarted = new UsersConverger(4);
      DesiredUsers same = desired(MYSQL, "mysql-password-1", PGSQL, "pgsql-password-1");

      ConvergenceResult first = restarted.converge(real.operator(), same, record, none);
      assertThat(first.unchanged()).isEqualTo(1);
      assertThat(first.updated()).isEqualTo(1);
      ConvergenceResult second = restarted.converge(real.operator(), same, record, none);
      assertThat(second.kopiaWrites()).isZero();
      assertThat(second.unchanged()).isEqualTo(2);
    }
  }
}
