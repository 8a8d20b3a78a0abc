package io.kanister.kopia.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KopiaCommandTest {
  private static final String PASSWORD = "super-secret-value";

  @Test
  void toStringNamesSecretsButNeverShowsThem() {
    KopiaCommand command =
        KopiaCommand.builder()
            .args(List.of("repository", "status", "--json"))
            .putEnvironment("KOPIA_CONFIG_PATH", "/ws/repository.config")
            .putSecretEnvironment("KOPIA_PASSWORD", PASSWORD)
            .build();

    assertThat(command.toString())
        .isEqualTo(
            "kopia repository status --json [env: KOPIA_CONFIG_PATH KOPIA_PASSWORD=<redacted>]")
        .doesNotContain(PASSWORD);
  }

  @Test
  void refusesASecretSmuggledIntoTheArguments() {
    assertThatThrownBy(
            () ->
                KopiaCommand.builder()
                    .args(List.of("repository", "connect", "s3", "--secret-access-key=" + PASSWORD))
                    .putSecretEnvironment("AWS_SECRET_ACCESS_KEY", PASSWORD)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "argument 3 of 'kopia repository connect s3' contains the value of secret"
                + " AWS_SECRET_ACCESS_KEY; secrets must only travel in the environment")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void addedEnvironmentNeverOverridesTheCommandsOwnPassword() {
    KopiaCommand connect =
        KopiaCommand.builder()
            .args(List.of("repository", "connect", "server"))
            .putSecretEnvironment("KOPIA_PASSWORD", "user-password")
            .build();

    KopiaCommand inWorkspace =
        connect.withEnvironment(
            Map.of("KOPIA_CONFIG_PATH", "/ws/c"), Map.of("KOPIA_PASSWORD", "repo-password"));

    assertThat(inWorkspace.secretEnvironment())
        .containsExactly(Map.entry("KOPIA_PASSWORD", "user-password"));
    assertThat(inWorkspace.environment()).containsExactly(Map.entry("KOPIA_CONFIG_PATH", "/ws/c"));
  }

  @Test
  void verbIsTheSubcommandWords() {
    assertThat(UserCommands.delete(io.kanister.kopia.core.user.KopiaUsername.of("a@b")).verb())
        .isEqualTo("server users delete");
    assertThat(SnapshotCommands.list(java.nio.file.Path.of("/data")).verb())
        .isEqualTo("snapshot list");
  }
}
