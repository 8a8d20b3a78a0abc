package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.PasswordVerification;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import io.kanister.kopia.operator.users.UsersConverger.ServerRefresher;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UsersConvergerTest {
  private final MemoryRecord record = MemoryRecord.of("old@monitoring.gone");

  private final InMemoryUsersRunner runner = new InMemoryUsersRunner();
  private final Kopia kopia =
      Kopia.open(runner, new KopiaWorkspace(Path.of("/nonexistent")), SecretValue.of("repo-pw"));
  private final AtomicInteger refreshes = new AtomicInteger();
  private final ServerRefresher refresher = refreshes::incrementAndGet;
  private final UsersConverger converger = new UsersConverger(4);

  private static DesiredUsers desired(String... userAndPassword) {
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    for (int i = 0; i < userAndPassword.length; i += 2) {
      KopiaUsername name = KopiaUsername.of(userAndPassword[i]);
      users.put(
          name,
          new DesiredUser(
              name, SecretValue.of(userAndPassword[i + 1]), "test", MemoryRecord.originOf(name)));
    }
    return new DesiredUsers(users, List.of());
  }

  @Test
  void convergesWithOneRefreshThenResyncsWithoutWrites() {
    runner.users.put("admin@laptop", UserPasswordHash.create(SecretValue.of("foreign-pw")));
    runner.users.put("old@monitoring.gone", UserPasswordHash.create(SecretValue.of("old-pw")));

    ConvergenceResult first =
        converger.converge(
            kopia,
            desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b"),
            record,
            refresher);
    assertThat(first.added()).isEqualTo(2);
    assertThat(first.deleted()).isEqualTo(1);
    assertThat(first.kopiaWrites()).isEqualTo(3);
    assertThat(first.refreshed()).isTrue();
    assertThat(refreshes).hasValue(1);
    assertThat(runner.users).containsOnlyKeys("admin@laptop", "a@monitoring.db", "b@monitoring.db");
    assertThat(runner.users.get("a@monitoring.db").verify(SecretValue.of("pw-a")))
        .isEqualTo(PasswordVerification.MATCH);
    assertThat(first.toStatus().getSummary()).isEqualTo("2/2");
    assertThat(first.ready()).isTrue();

    int writesBefore = runner.writes.get();
    ConvergenceResult resync =
        converger.converge(
            kopia,
            desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b"),
            record,
            refresher);
    assertThat(resync.kopiaWrites()).isZero();
    assertThat(resync.unchanged()).isEqualTo(2);
    assertThat(resync.refreshed()).isFalse();
    assertThat(runner.writes.get()).isEqualTo(writesBefore);
    assertThat(refreshes).hasValue(1);

    ConvergenceResult changed =
        converger.converge(
            kopia,
            desired("a@monitoring.db", "pw-a2", "b@monitoring.db", "pw-b"),
            record,
            refresher);
    assertThat(changed.updated()).isEqualTo(1);
    assertThat(changed.kopiaWrites()).isEqualTo(1);
    assertThat(refreshes).hasValue(2);
  }

  @Test
  void aFailedRefreshIsRetriedByTheNextConvergence() {
    ServerRefresher failing =
        () -> {
          throw new IllegalStateException("server unreachable");
        };
    ConvergenceResult first =
        converger.converge(kopia, desired("a@monitoring.db", "pw-a"), record, failing);
    assertThat(first.refreshProblem())
        .hasValueSatisfying(p -> assertThat(p).contains("server unreachable"));
    assertThat(first.ready()).isFalse();
    assertThat(first.summary()).contains("server refresh failed");

    ConvergenceResult retry =
        converger.converge(kopia, desired("a@monitoring.db", "pw-a"), record, refresher);
    assertThat(retry.kopiaWrites()).isZero();
    assertThat(retry.refreshed()).isTrue();
    assertThat(retry.ready()).isTrue();
  }

  @Test
  void aFailedRefreshIsRetriedEvenWhenTheRecordIsLost() {
    ServerRefresher failing =
        () -> {
          throw new IllegalStateException("server unreachable");
        };
    converger.converge(kopia, desired("a@monitoring.db", "pw-a"), record, failing);
    assertThat(record.read().refreshDue()).isTrue();
    MemoryRecord lost = new MemoryRecord(new ManagedUsers(java.util.Map.of()));

    ConvergenceResult retry =
        converger.converge(kopia, desired("a@monitoring.db", "pw-a"), lost, refresher);
    assertThat(retry.kopiaWrites()).isZero();
    assertThat(retry.refreshed())
        .as("the process remembers the refresh it owes when the record no longer does")
        .isTrue();
    assertThat(lost.read().refreshDue()).isFalse();
  }

  @Test
  void aProcessStoppedBeforeItsRefreshLeavesTheRefreshDueToTheNextOne() {
    ServerRefresher fenced =
        () -> {
          throw new IllegalStateException("kopia refused: this process lost its leadership");
        };
    DesiredUsers users = desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b");
    ConvergenceResult oldLeader = converger.converge(kopia, users, record, fenced);
    assertThat(oldLeader.added()).isEqualTo(2);
    assertThat(oldLeader.refreshed()).isFalse();
    assertThat(record.read().refreshDue()).isTrue();
    assertThat(record.written.get(0).refreshDue())
        .as("due from the record written before the first user write")
        .isTrue();

    // The next process finds every user present: nothing to write, but the server must re-read.
    UsersConverger newLeader = new UsersConverger(4);
    int writesBefore = runner.writes.get();
    ConvergenceResult takeover = newLeader.converge(kopia, users, record, refresher);
    assertThat(takeover.kopiaWrites()).isZero();
    assertThat(runner.writes.get()).isEqualTo(writesBefore);
    assertThat(takeover.refreshed()).isTrue();
    assertThat(refreshes).hasValue(1);
    assertThat(record.read().refreshDue()).isFalse();

    ConvergenceResult restart = new UsersConverger(4).converge(kopia, users, record, refresher);
    assertThat(restart.refreshed()).as("a clean restart refreshes nothing").isFalse();
    assertThat(refreshes).hasValue(1);
  }

  @Test
  void aRecordWithARefreshDueKeepsItsStoredForm() {
    ManagedUsers due = MemoryRecord.of("a@monitoring.db").read().withRefreshDue(true);
    assertThat(ManagedUsers.decode(due.encode(), due.encodeVerified(), ManagedUsers.REFRESH_DUE))
        .isEqualTo(due);
    assertThat(ManagedUsers.decode(due.encode(), due.encodeVerified(), null).refreshDue())
        .isFalse();
  }

  @Test
  void inputFailuresCountAsRequestedButNotRegistered() {
    DesiredUsers withFailure =
        new DesiredUsers(
            desired("a@monitoring.db", "pw-a").users(),
            List.of(new UserFailure("bad", FailureReasons.INVALID_ACCESS_SECRET, "broken")));
    ConvergenceResult result = converger.converge(kopia, withFailure, record, refresher);
    assertThat(result.toStatus().getSummary()).isEqualTo("1/2");
    assertThat(result.toStatus().getFailed())
        .extracting(f -> f.getReason())
        .containsExactly(FailureReasons.INVALID_ACCESS_SECRET);
    assertThat(result.ready()).isFalse();
    assertThat(result.summary())
        .isEqualTo("1/2 users registered; failed: bad (InvalidAccessSecret). broken");
    assertThat(result.reason()).isEqualTo(FailureReasons.INVALID_ACCESS_SECRET);
  }

  @Test
  void onlyRecordedUsersAreDeletedAndEveryServedUserIsRecordedBeforeItIsWritten() {
    // Adopted: the repository already had users under the target namespace's hosts.
    runner.users.put(
        "alice@monitoring.people", UserPasswordHash.create(SecretValue.of("alice-pw")));
    runner.users.put("x@monitoring.db", UserPasswordHash.create(SecretValue.of("x-pw")));
    runner.users.put("old@monitoring.gone", UserPasswordHash.create(SecretValue.of("old-pw")));

    ConvergenceResult first =
        converger.converge(kopia, desired("a@monitoring.db", "pw-a"), record, refresher);

    assertThat(first.deleted()).isEqualTo(1);
    assertThat(runner.users)
        .containsOnlyKeys("alice@monitoring.people", "x@monitoring.db", "a@monitoring.db");
    // Written ahead (a@ recorded, before the add), then without the deleted user.
    assertThat(record.written).hasSize(2);
    assertThat(record.written.get(0).origins())
        .containsOnlyKeys(
            KopiaUsername.of("old@monitoring.gone"), KopiaUsername.of("a@monitoring.db"));
    assertThat(record.read().origins()).containsOnlyKeys(KopiaUsername.of("a@monitoring.db"));

    ConvergenceResult removed = converger.converge(kopia, desired(), record, refresher);
    assertThat(removed.deleted()).isEqualTo(1);
    assertThat(runner.users).containsOnlyKeys("alice@monitoring.people", "x@monitoring.db");
    assertThat(record.read().origins()).isEmpty();
  }

  @Test
  void aUserWhoseSourceFailedIsHeldWithItsPassword() {
    converger.converge(
        kopia, desired("a@monitoring.db", "pw-a", "b@monitoring.web", "pw-b"), record, refresher);
    UserPasswordHash before = runner.users.get("a@monitoring.db");

    DesiredUsers secretGone =
        DesiredUsers.held(
            new UserFailure("kanister/access", FailureReasons.ACCESS_SECRET_NOT_FOUND, "gone"),
            ManagedUsers.wholeSecret("access"));
    ConvergenceResult held = converger.converge(kopia, secretGone, record, refresher);

    assertThat(held.deleted()).isZero();
    assertThat(held.held()).isEqualTo(2);
    assertThat(held.kopiaWrites()).isZero();
    assertThat(runner.users.get("a@monitoring.db")).isEqualTo(before);
    assertThat(held.reason()).isEqualTo(FailureReasons.ACCESS_SECRET_NOT_FOUND);
    assertThat(held.summary()).contains("2 held with their last password");

    // One entry broken, the other removed: the broken one is held, the removed one deleted.
    DesiredUsers entryBroken =
        new DesiredUsers(
            Map.of(),
            List.of(new UserFailure("db", FailureReasons.INVALID_ACCESS_SECRET, "broken")),
            java.util.Set.of(ManagedUsers.secretOrigin("access", "db")));
    ConvergenceResult partly = converger.converge(kopia, entryBroken, record, refresher);
    assertThat(partly.deleted()).isEqualTo(1);
    assertThat(runner.users).containsOnlyKeys("a@monitoring.db");
    assertThat(runner.users.get("a@monitoring.db")).isEqualTo(before);
  }

  @Test
  void theStatusListsTwentyFailuresAndCountsThemAll() {
    List<UserFailure> failures = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      failures.add(
          new UserFailure("w" + i, FailureReasons.INVALID_ACCESS_SECRET, "x".repeat(5000)));
    }
    ConvergenceResult result =
        converger.converge(kopia, new DesiredUsers(Map.of(), failures), record, refresher);
    var status = result.toStatus();
    assertThat(status.getFailed()).hasSize(20);
    assertThat(status.getFailedCount()).isEqualTo(500);
    assertThat(status.getFailed()).allSatisfy(f -> assertThat(f.getMessage()).hasSizeLessThan(401));
    assertThat(result.summary()).hasSizeLessThan(1000).contains("and 495 more");
  }

  @Test
  void aRestartWithTheSameKeyVerifiesNoPasswordAndWritesNothing() {
    byte[] key = VerifiedPasswords.newKey();
    DesiredUsers users = desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b");
    new UsersConverger(4, () -> key).converge(kopia, users, record, refresher);
    int writesBefore = runner.writes.get();
    String recorded = record.read().encodeVerified();
    assertThat(recorded).doesNotContain("pw-a", "pw-b");
    assertThat(record.read().verified()).hasSize(2);

    UsersConverger restarted = new UsersConverger(4, () -> key);
    ConvergenceResult resync = restarted.converge(kopia, users, record, refresher);
    assertThat(resync.unchanged()).isEqualTo(2);
    assertThat(resync.kopiaWrites()).isZero();
    assertThat(runner.writes.get()).isEqualTo(writesBefore);
    assertThat(restarted.passwordDerivations()).as("PBKDF2 verifications").isZero();

    // Another key (the Secret was lost): each stored hash is verified once, nothing is written.
    UsersConverger newKey = new UsersConverger(4, VerifiedPasswords.newKey()::clone);
    ConvergenceResult verified = newKey.converge(kopia, users, record, refresher);
    assertThat(verified.kopiaWrites()).isZero();
    assertThat(newKey.passwordDerivations()).isEqualTo(2);
  }

  @Test
  void aStoredHashChangedOutOfBandOrANewPasswordIsDetectedAfterARestart() {
    byte[] key = VerifiedPasswords.newKey();
    DesiredUsers users = desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b");
    new UsersConverger(4, () -> key).converge(kopia, users, record, refresher);
    // A person set a@'s password by hand; b@ got a new hash of the same password.
    runner.users.put("a@monitoring.db", UserPasswordHash.create(SecretValue.of("by-hand")));
    runner.users.put("b@monitoring.db", UserPasswordHash.create(SecretValue.of("pw-b")));

    UsersConverger restarted = new UsersConverger(4, () -> key);
    ConvergenceResult result = restarted.converge(kopia, users, record, refresher);
    assertThat(result.updated()).as("a@ is set back").isEqualTo(1);
    assertThat(result.unchanged()).as("b@'s new hash is of its password").isEqualTo(1);
    assertThat(restarted.passwordDerivations()).isEqualTo(2);
    assertThat(runner.users.get("a@monitoring.db").verify(SecretValue.of("pw-a")))
        .isEqualTo(PasswordVerification.MATCH);

    ConvergenceResult changed =
        new UsersConverger(4, () -> key)
            .converge(
                kopia,
                desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b2"),
                record,
                refresher);
    assertThat(changed.updated()).as("a new desired password").isEqualTo(1);
    assertThat(changed.unchanged()).isEqualTo(1);
  }

  @Test
  void aStoppedRunnerEndsTheConvergenceWithoutHashingTheRest() {
    AtomicInteger hashedAndTried = new AtomicInteger();
    io.kanister.kopia.core.exec.KopiaRunner stopping =
        command -> {
          if (command.args().contains("add")) {
            hashedAndTried.incrementAndGet();
            throw new io.kanister.kopia.core.exec.KopiaCancelledException("server users add");
          }
          return runner.run(command);
        };
    Kopia stopped =
        Kopia.open(stopping, new KopiaWorkspace(Path.of("/nonexistent")), SecretValue.of("x"));
    Map<KopiaUsername, DesiredUser> many = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      KopiaUsername name = KopiaUsername.of("u" + i + "@monitoring.db");
      many.put(name, new DesiredUser(name, SecretValue.of("pw-" + i), "test", "secret/a/" + i));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> converger.converge(stopped, new DesiredUsers(many, List.of()), record, refresher))
        .isInstanceOf(io.kanister.kopia.core.exec.KopiaCancelledException.class);
    // Only the writes already hashing when the first one was refused (one per thread) went on.
    assertThat(hashedAndTried.get()).isLessThanOrEqualTo(4);
    assertThat(record.read().origins()).containsKeys(many.keySet().toArray(KopiaUsername[]::new));
  }

  @Test
  void aHeldUserKeepsItsDigestSoItsReturnCostsNoVerification() {
    byte[] key = VerifiedPasswords.newKey();
    DesiredUsers users = desired("a@monitoring.db", "pw-a", "b@monitoring.web", "pw-b");
    new UsersConverger(4, () -> key).converge(kopia, users, record, refresher);
    DesiredUsers secretGone =
        DesiredUsers.held(
            new UserFailure("kanister/access", FailureReasons.ACCESS_SECRET_NOT_FOUND, "gone"),
            ManagedUsers.wholeSecret("access"));
    new UsersConverger(4, () -> key).converge(kopia, secretGone, record, refresher);
    assertThat(record.read().verified()).hasSize(2);

    UsersConverger restarted = new UsersConverger(4, () -> key);
    ConvergenceResult back = restarted.converge(kopia, users, record, refresher);
    assertThat(back.unchanged()).isEqualTo(2);
    assertThat(restarted.passwordDerivations()).isZero();
  }
}
