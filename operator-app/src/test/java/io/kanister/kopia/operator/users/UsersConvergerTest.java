package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.secret.Secret;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.PasswordVerification;
import io.kanister.kopia.core.user.UserPasswordHash;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UsersConvergerTest {
  private static final ManagedUsers MANAGED = new ManagedUsers("monitoring");

  private final InMemoryUsersRunner runner = new InMemoryUsersRunner();
  private final Kopia kopia =
      Kopia.open(runner, new KopiaWorkspace(Path.of("/nonexistent")), Secret.of("repo-pw"));
  private final AtomicInteger refreshes = new AtomicInteger();
  private final ServerRefresher refresher = refreshes::incrementAndGet;
  private final UsersConverger converger = new UsersConverger(4);

  private static DesiredUsers desired(String... userAndPassword) {
    Map<KopiaUsername, DesiredUser> users = new LinkedHashMap<>();
    for (int i = 0; i < userAndPassword.length; i += 2) {
      KopiaUsername name = KopiaUsername.of(userAndPassword[i]);
      users.put(name, new DesiredUser(name, Secret.of(userAndPassword[i + 1]), "test"));
    }
    return new DesiredUsers(users, List.of());
  }

  @Test
  void convergesWithOneRefreshThenResyncsWithoutWrites() {
    runner.users.put("admin@laptop", UserPasswordHash.create(Secret.of("foreign-pw")));
    runner.users.put("old@monitoring.gone", UserPasswordHash.create(Secret.of("old-pw")));

    ConvergenceResult first =
        converger.converge(
            kopia,
            desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b"),
            MANAGED,
            refresher);
    assertThat(first.added()).isEqualTo(2);
    assertThat(first.deleted()).isEqualTo(1);
    assertThat(first.kopiaWrites()).isEqualTo(3);
    assertThat(first.refreshed()).isTrue();
    assertThat(refreshes).hasValue(1);
    assertThat(runner.users).containsOnlyKeys("admin@laptop", "a@monitoring.db", "b@monitoring.db");
    assertThat(runner.users.get("a@monitoring.db").verify(Secret.of("pw-a")))
        .isEqualTo(PasswordVerification.MATCH);
    assertThat(first.toStatus().getSummary()).isEqualTo("2/2");
    assertThat(first.ready()).isTrue();

    int writesBefore = runner.writes.get();
    ConvergenceResult resync =
        converger.converge(
            kopia,
            desired("a@monitoring.db", "pw-a", "b@monitoring.db", "pw-b"),
            MANAGED,
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
            MANAGED,
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
        converger.converge(kopia, desired("a@monitoring.db", "pw-a"), MANAGED, failing);
    assertThat(first.refreshProblem()).contains("server unreachable");
    assertThat(first.ready()).isFalse();
    assertThat(first.summary()).contains("server refresh failed");

    ConvergenceResult retry =
        converger.converge(kopia, desired("a@monitoring.db", "pw-a"), MANAGED, refresher);
    assertThat(retry.kopiaWrites()).isZero();
    assertThat(retry.refreshed()).isTrue();
    assertThat(retry.ready()).isTrue();
  }

  @Test
  void inputFailuresCountAsRequestedButNotRegistered() {
    DesiredUsers withFailure =
        new DesiredUsers(
            desired("a@monitoring.db", "pw-a").users(),
            List.of(new UserFailure("bad", FailureReasons.INVALID_ACCESS_SECRET, "broken")));
    ConvergenceResult result = converger.converge(kopia, withFailure, MANAGED, refresher);
    assertThat(result.toStatus().getSummary()).isEqualTo("1/2");
    assertThat(result.toStatus().getFailed())
        .extracting(f -> f.getReason())
        .containsExactly(FailureReasons.INVALID_ACCESS_SECRET);
    assertThat(result.ready()).isFalse();
    assertThat(result.summary())
        .isEqualTo("1/2 users registered; failed: bad (InvalidAccessSecret)");
  }
}
