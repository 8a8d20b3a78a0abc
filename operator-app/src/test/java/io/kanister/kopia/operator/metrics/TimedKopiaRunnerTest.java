package io.kanister.kopia.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.error.KopiaFailure;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The histogram's labels: subcommand words and outcome only. The real-kopia path is covered where
 * the operator runs (ChartNamespaceModeE2E scrapes it from the operator pod).
 */
class TimedKopiaRunnerTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void recordsVerbAndOutcomeNeverArguments() {
    var ok =
        new TimedKopiaRunner(
            command -> new KopiaResult("{}", "", Duration.ofMillis(3), false), registry);
    ok.run(KopiaCommand.of(List.of("server", "user", "add", "alice@ns.app", "--json")));

    KopiaCommand connect = KopiaCommand.of(List.of("repository", "connect", "s3", "--bucket=b"));
    var failing =
        new TimedKopiaRunner(
            command -> {
              throw new KopiaException(
                  command,
                  new KopiaFailure(
                      KopiaErrorKind.INVALID_PASSWORD, OptionalInt.of(1), "invalid password"));
            },
            registry);
    assertThatThrownBy(() -> failing.run(connect)).isInstanceOf(KopiaException.class);

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "kopia_command_duration_seconds_count{outcome=\"ok\",verb=\"server user add\"} 1",
            "kopia_command_duration_seconds_bucket{outcome=\"ok\",verb=\"server user add\",le=\"1800.0\"} 1")
        .contains(
            "kopia_command_duration_seconds_count{outcome=\"invalid_password\",verb=\"repository"
                + " connect s3\"} 1")
        .doesNotContain("alice")
        .doesNotContain("--bucket")
        .doesNotContain("--json");
  }
}
