package io.kanister.kopia.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SubcommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  record Flags(boolean help) implements Subcommand.Options {}

  private Subcommand<Flags> verb(Supplier<Integer> body) {
    return new Subcommand<>(
        "demo",
        "Usage: kopia-operator demo\n",
        null,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)) {
      @Override
      protected Flags parse(List<String> args) {
        if (args.contains("--bad")) {
          throw new IllegalArgumentException("unknown argument #1");
        }
        return new Flags(args.contains("--help"));
      }

      @Override
      protected int execute(Flags options) {
        return body.get();
      }
    };
  }

  @Test
  void badArgumentsExitTwoAndPointToHelp() {
    assertThat(verb(() -> 0).run(List.of("--bad"))).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("kopia-operator demo: unknown argument #1; see --help\n");
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndDoesNothingElse() {
    assertThat(verb(() -> 7).run(List.of("--help"))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Usage: kopia-operator demo\n");
  }

  @Test
  void aUserFacingFailureIsOneLineAndExitOne() {
    int code =
        verb(() -> {
              throw new IllegalStateException("Repository a/b does not exist");
            })
            .run(List.of());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("kopia-operator demo: Repository a/b does not exist\n");
  }

  @Test
  void anApiFailureNamesTheCodeAndWhatToCheck() {
    int code =
        verb(() -> {
              throw new KubernetesClientException("forbidden", 403, null);
            })
            .run(List.of());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("kopia-operator demo: the API server refused or failed a read (HTTP 403)")
        .contains("check the kubeconfig");
  }

  @Test
  void aDefectIsNotDisguisedAsAUserError() {
    Subcommand<Flags> verb =
        verb(
            () -> {
              throw new NullPointerException("bug");
            });
    assertThatThrownBy(() -> verb.run(List.of())).isInstanceOf(NullPointerException.class);
  }
}
