package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifiedUsersTest {
  private static final ConvergenceResult QUIET =
      new ConvergenceResult(0, 0, 0, 0, 0, 0, 0, List.of(), 0, false, Optional.empty());

  @Test
  void aRepositoryWithoutUsersOrRecordIsVerifiedOnce() {
    VerifiedUsers verified = new VerifiedUsers();
    verified.converged(Optional.of("m1"), DesiredUsers.empty(), QUIET, Optional.empty());

    assertThat(verified.unchanged(Optional.of("m1"), DesiredUsers.empty(), Optional.empty()))
        .contains(QUIET);
  }

  @Test
  void aRecordThatAppearsOrGoesOrChangesMeansAFullConvergence() {
    VerifiedUsers withoutRecord = new VerifiedUsers();
    withoutRecord.converged(Optional.of("m1"), DesiredUsers.empty(), QUIET, Optional.empty());
    assertThat(withoutRecord.unchanged(Optional.of("m1"), DesiredUsers.empty(), Optional.of("7")))
        .isEmpty();

    VerifiedUsers withRecord = new VerifiedUsers();
    withRecord.converged(Optional.of("m1"), DesiredUsers.empty(), QUIET, Optional.of("7"));
    assertThat(withRecord.unchanged(Optional.of("m1"), DesiredUsers.empty(), Optional.of("7")))
        .contains(QUIET);
    assertThat(withRecord.unchanged(Optional.of("m1"), DesiredUsers.empty(), Optional.empty()))
        .as("record deleted")
        .isEmpty();
    assertThat(withRecord.unchanged(Optional.of("m1"), DesiredUsers.empty(), Optional.of("8")))
        .as("record edited")
        .isEmpty();
  }

  @Test
  void newUserManifestsOrNoListingOrAWritingConvergenceVerifyNothing() {
    VerifiedUsers verified = new VerifiedUsers();
    verified.converged(Optional.of("m1"), DesiredUsers.empty(), QUIET, Optional.empty());
    assertThat(verified.unchanged(Optional.of("m2"), DesiredUsers.empty(), Optional.empty()))
        .isEmpty();
    assertThat(verified.unchanged(Optional.empty(), DesiredUsers.empty(), Optional.empty()))
        .isEmpty();

    ConvergenceResult wrote =
        new ConvergenceResult(1, 1, 1, 0, 0, 0, 0, List.of(), 1, true, Optional.empty());
    verified.converged(Optional.of("m1"), DesiredUsers.empty(), wrote, Optional.of("7"));
    assertThat(verified.unchanged(Optional.of("m1"), DesiredUsers.empty(), Optional.of("7")))
        .isEmpty();
  }
}
