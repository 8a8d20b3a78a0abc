package io.kanister.kopia.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fencing and work-bound flags: defaults, and the timings that could not fence refused. */
class ReliabilityOptionsTest {

  @Test
  void defaultsAreClientGosTimingAndBoundedWork() {
    ReliabilityOptions options = OperatorOptionsParser.parse(List.of(), Map.of()).reliability();
    assertThat(options).isEqualTo(ReliabilityOptions.defaults());
    assertThat(options.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(options.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.passDeadline()).isEqualTo(Duration.ofMinutes(10));
    assertThat(options.kopiaConcurrency()).isEqualTo(16);
    assertThat(options.kopiaPerRepository()).isEqualTo(8);
    assertThat(options.hungServerPatience()).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void hungServerPatienceIsAFlagAndMustBePositive() {
    assertThat(
            OperatorOptionsParser.parse(List.of("--hung-server-patience=15s"), Map.of())
                .reliability()
                .hungServerPatience())
        .isEqualTo(Duration.ofSeconds(15));
    assertThatThrownBy(
            () -> OperatorOptionsParser.parse(List.of("--hung-server-patience=0s"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--hung-server-patience");
  }

  @Test
  void flagsAndEnvironmentSetThem() {
    ReliabilityOptions options =
        OperatorOptionsParser.parse(
                List.of(
                    "--leader-lease-duration=30s",
                    "--leader-renew-deadline=20s",
                    "--pass-deadline=2m",
                    "--kopia-concurrency=3"),
                Map.of("KOPIA_OPERATOR_KOPIA_PER_REPOSITORY", "1"))
            .reliability();
    assertThat(options)
        .isEqualTo(
            new ReliabilityOptions(
                Duration.ofSeconds(30),
                Duration.ofSeconds(20),
                Duration.ofSeconds(2),
                Duration.ofMinutes(2),
                3,
                1));
  }

  @Test
  void aRenewDeadlineThatLeavesNoTimeToFenceIsRefused() {
    assertThatThrownBy(
            () ->
                OperatorOptionsParser.parse(
                    List.of("--leader-lease-duration=11s", "--leader-renew-deadline=10s"),
                    Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--leader-lease-duration (11000 ms) must exceed --leader-renew-deadline (10000 ms) by"
                + " at least 2000 ms: a leader that stops renewing needs that time to stop its"
                + " writes before a successor may start");
    assertThatThrownBy(
            () ->
                OperatorOptionsParser.parse(
                    List.of("--leader-lease-duration=10s", "--leader-renew-deadline=15s"),
                    Map.of()))
        .hasMessageContaining("must exceed --leader-renew-deadline");
    assertThatThrownBy(
            () -> OperatorOptionsParser.parse(List.of("--leader-retry-period=10s"), Map.of()))
        .hasMessage(
            "--leader-renew-deadline (10000 ms) must be longer than --leader-retry-period (10000"
                + " ms)");
  }

  @Test
  void perRepositoryCannotExceedTheGlobalBound() {
    assertThatThrownBy(
            () ->
                OperatorOptionsParser.parse(
                    List.of("--kopia-concurrency=2", "--kopia-per-repository=3"), Map.of()))
        .hasMessage("--kopia-per-repository (3) cannot exceed --kopia-concurrency (2)");
    assertThatThrownBy(
            () -> OperatorOptionsParser.parse(List.of("--kopia-concurrency=0"), Map.of()))
        .hasMessageContaining("--kopia-concurrency");
  }
}
