package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.operator.users.ConvergenceResult;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.operator.users.FailureReasons;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessUsersRetryTest {

  @Test
  void aFailureOfTheMomentIsRetriedSoonAnInputProblemWaitsForItsInput() {
    assertThat(result(List.of(), Optional.empty()).worthRetryingSoon()).isFalse();
    assertThat(
            result(
                    List.of(
                        new UserFailure(
                            "alice@ns.app",
                            FailureReasons.KOPIA_WRITE_FAILED,
                            "unable to load pack indexes despite 10 retries")),
                    Optional.empty())
                .worthRetryingSoon())
        .isTrue();
    assertThat(
            result(
                    List.of(new UserFailure("bob@ns.app", "AccessSecretNotFound", "missing")),
                    Optional.empty())
                .worthRetryingSoon())
        .isFalse();
    assertThat(
            result(List.of(), Optional.of("server refresh failed: connection refused"))
                .worthRetryingSoon())
        .isTrue();
    assertThat(AccessUsersStep.RETRY_SOON).isLessThan(java.time.Duration.ofMinutes(1));
  }

  private static ConvergenceResult result(List<UserFailure> failures, Optional<String> refresh) {
    return new ConvergenceResult(1, 0, 0, 0, 0, 0, 0, failures, 0, false, refresh);
  }
}
