package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.operator.users.UsersPlanner.PasswordCheck;
import io.kanister.kopia.operator.users.UsersPlanner.UserChange;
import io.kanister.kopia.operator.users.UsersPlanner.UsersPlan;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsersPlannerTest {
  /** What the operator recorded: the users it made. Everything else is foreign. */
  private static final ManagedUsers MANAGED =
      MemoryRecord.of(
              "same@monitoring.db",
              "changed@monitoring.db",
              "gone@monitoring.old-workload",
              "a@monitoring.db",
              "mysql-sa@monitoring.mysql")
          .read();

  /** Hashes are compared by a stand-in check: "stored hash X matches password X". */
  private static final PasswordCheck SAME_TEXT =
      (user, password, stored) -> stored.passwordHashBase64().equals(hashOf(password.reveal()));

  private static String hashOf(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes());
  }

  private static UserProfile stored(String user, String password) {
    return UserProfile.of(KopiaUsername.of(user), UserPasswordHash.of(2, hashOf(password)));
  }

  private static Map<KopiaUsername, DesiredUser> desired(String... userAndPassword) {
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    for (int i = 0; i < userAndPassword.length; i += 2) {
      KopiaUsername name = KopiaUsername.of(userAndPassword[i]);
      users.put(
          name,
          new DesiredUser(
              name, SecretValue.of(userAndPassword[i + 1]), "test", MemoryRecord.originOf(name)));
    }
    return users;
  }

  @Test
  void addsMissingSetsChangedDeletesUnwantedManagedUsersAndLeavesTheRest() {
    UsersPlan plan =
        UsersPlanner.plan(
            desired(
                "new@monitoring.db", "pw-new",
                "same@monitoring.db", "pw-same",
                "changed@monitoring.db", "pw-changed-2"),
            List.of(
                stored("same@monitoring.db", "pw-same"),
                stored("changed@monitoring.db", "pw-changed-1"),
                stored("gone@monitoring.old-workload", "pw-gone"),
                stored("admin@laptop", "pw-admin"),
                stored("app@monitoringx.db", "pw-other-namespace"),
                stored("app@other.db", "pw-other"),
                stored("app@monitoring", "pw-bare-namespace-host"),
                stored("alice@monitoring.people", "pw-adopted")),
            MANAGED,
            SAME_TEXT,
            Runnable::run);

    assertThat(plan.changes())
        .extracting(UserChange::toString)
        .containsExactly(
            "ADD new@monitoring.db",
            "SET changed@monitoring.db",
            "DELETE gone@monitoring.old-workload");
    assertThat(plan.unchanged()).containsExactly(KopiaUsername.of("same@monitoring.db"));
    assertThat(plan.foreign())
        .extracting(KopiaUsername::value)
        .containsExactly(
            "admin@laptop",
            "app@monitoringx.db",
            "app@other.db",
            "app@monitoring",
            "alice@monitoring.people");
  }

  @Test
  void nothingToDoWhenEverythingMatches() {
    UsersPlan plan =
        UsersPlanner.plan(
            desired("a@monitoring.db", "pw-a"),
            List.of(stored("a@monitoring.db", "pw-a"), stored("b@elsewhere", "pw-b")),
            MANAGED,
            SAME_TEXT,
            Runnable::run);
    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void aHashThatCannotBeVerifiedIsSetAgain() {
    KopiaUsername user = KopiaUsername.of("a@monitoring.db");
    UserProfile scrypt = UserProfile.of(user, UserPasswordHash.of(1, hashOf("whatever")));
    UsersPlan plan =
        UsersPlanner.plan(
            desired("a@monitoring.db", "pw-a"),
            List.of(scrypt),
            MANAGED,
            new VerifiedPasswords()::matches,
            Runnable::run);
    assertThat(plan.changes()).extracting(UserChange::toString).containsExactly("SET " + user);
  }

  @Test
  void onlyRecordedUsersAreManagedAndHoldsCoverTheirOrigins() {
    assertThat(MANAGED.manages(KopiaUsername.of("a@monitoring.db"))).isTrue();
    assertThat(MANAGED.manages(KopiaUsername.of("alice@monitoring.people"))).isFalse();
    KopiaUsername db = KopiaUsername.of("a@monitoring.db");
    assertThat(MANAGED.held(db, java.util.Set.of(ManagedUsers.wholeSecret("access")))).isTrue();
    assertThat(MANAGED.held(db, java.util.Set.of(ManagedUsers.secretOrigin("access", "db"))))
        .isTrue();
    assertThat(MANAGED.held(db, java.util.Set.of(ManagedUsers.secretOrigin("access", "d"))))
        .isFalse();
    assertThat(MANAGED.held(db, java.util.Set.of(ManagedUsers.wholeSecret("acces")))).isFalse();
    assertThat(MANAGED.held(db, java.util.Set.of(ManagedUsers.ALL_WORKLOADS))).isFalse();
    assertThat(ManagedUsers.decode(MANAGED.encode())).isEqualTo(MANAGED);
    assertThat(ManagedUsers.decode("not a line\nbad-user secret/x/y\n\n").origins()).isEmpty();
  }

  @Test
  void aUserThatFailedThisPassIsHeldNotDeleted() {
    UsersPlan plan =
        UsersPlanner.plan(
            desired(),
            List.of(stored("mysql-sa@monitoring.mysql", "old-token")),
            MANAGED,
            SAME_TEXT,
            Runnable::run,
            java.util.Set.of("mysql-sa@monitoring.mysql"));

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.held())
        .extracting(KopiaUsername::value)
        .containsExactly("mysql-sa@monitoring.mysql");
  }
}
