package io.kanister.kopia.operator.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.command.MaintenanceCommands;
import io.kanister.kopia.core.command.MaintenanceCommands.Safety;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.operator.OperatorOptionsParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenanceFlagsTest {
  @Test
  void defaultsAreSafeAndLongerThanTheCommandTimeout() {
    MaintenanceOptions options = OperatorOptionsParser.parse(List.of(), Map.of()).maintenance();
    assertThat(options.safety()).isEqualTo(Safety.FULL);
    assertThat(options.timeout()).isEqualTo(Duration.ofHours(6));
    assertThat(options.workers()).isEqualTo(1);
  }

  @Test
  void flagsAndEnvironmentSetThem() {
    MaintenanceOptions options =
        OperatorOptionsParser.parse(
                List.of("--maintenance-timeout=90m", "--maintenance-safety=none"),
                Map.of("KOPIA_OPERATOR_MAINTENANCE_WORKERS", "3"))
            .maintenance();
    assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(options.safety()).isEqualTo(Safety.NONE);
    assertThat(options.workers()).isEqualTo(3);
  }

  @Test
  void aBadSafetyNamesTheFlag() {
    assertThatThrownBy(
            () -> OperatorOptionsParser.parse(List.of("--maintenance-safety=off"), Map.of()))
        .hasMessageContaining("--maintenance-safety must be 'full' or 'none'");
  }

  @Test
  void theOperatorsCommandsNeverRunAutomaticMaintenance() {
    List<KopiaCommand> seen = new ArrayList<>();
    NoAutoMaintenanceRunner runner =
        new NoAutoMaintenanceRunner(
            c -> {
              seen.add(c);
              return new KopiaResult("", "", Duration.ZERO, false);
            });
    KopiaCommand policySet =
        KopiaCommand.builder()
            .args(List.of("policy", "set", "--global", "--keep-latest=3"))
            .timeout(Duration.ofMinutes(5))
            .secretEnvironment(Map.of("KOPIA_PASSWORD", "secret-password-1"))
            .build();

    runner.run(policySet);
    runner.run(seen.get(0));
    runner.run(MaintenanceCommands.run(true, Safety.FULL));

    assertThat(seen.get(0).args())
        .containsExactly("policy", "set", "--global", "--keep-latest=3", "--no-auto-maintenance");
    assertThat(seen.get(0).verb()).isEqualTo("policy set");
    assertThat(seen.get(0).secretEnvironment()).containsKey("KOPIA_PASSWORD");
    assertThat(seen.get(1).args()).containsOnlyOnce("--no-auto-maintenance");
    assertThat(seen.get(2).args())
        .containsExactly("maintenance", "run", "--safety=full", "--full", "--no-auto-maintenance");
    assertThat(MaintenanceCommands.run(false, Safety.NONE).args())
        .containsExactly("maintenance", "run", "--safety=none");
  }
}
