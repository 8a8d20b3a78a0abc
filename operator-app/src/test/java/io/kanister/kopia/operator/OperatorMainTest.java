package io.kanister.kopia.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperatorMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return OperatorMain.run(
        args,
        java.util.Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsTheBuildVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .matches("kopia-operator \\d+\\.\\d+\\.\\d+.*\\n");
  }

  @Test
  void aMissingKopiaBinaryIsOneLineThatSaysHowToFixIt() {
    assertThat(run("--kopia-binary=/nonexistent/kopia")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "kopia-operator: cannot run kopia at /nonexistent/kopia; install kopia or pass"
                + " --kopia-binary=/path/to/kopia\n");
  }

  @Test
  void rejectsAnUnknownArgumentInOneLine() {
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("kopia-operator: unknown flag --bogus; see --help\n");
  }
}
