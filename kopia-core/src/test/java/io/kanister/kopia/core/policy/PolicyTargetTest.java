package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyTargetTest {

  @Test
  void rendersEachKindAsKopiaExpectsIt() {
    assertThat(PolicyTarget.global().cliArgument()).isEqualTo("--global");
    assertThat(PolicyTarget.global().text()).isEqualTo("(global)");
    assertThat(PolicyTarget.host("box").cliArgument()).isEqualTo("@box");
    assertThat(PolicyTarget.user("alice", "box").cliArgument()).isEqualTo("alice@box");
    assertThat(PolicyTarget.path("alice", "box", "/data").cliArgument())
        .isEqualTo("alice@box:/data");
    assertThat(PolicyTarget.path("alice", "box", "/").cliArgument()).isEqualTo("alice@box:/");
  }

  @Test
  void derivesTheKind() {
    assertThat(PolicyTarget.global().kind()).isEqualTo(PolicyTarget.Kind.GLOBAL);
    assertThat(PolicyTarget.host("h").kind()).isEqualTo(PolicyTarget.Kind.HOST);
    assertThat(PolicyTarget.user("u", "h").kind()).isEqualTo(PolicyTarget.Kind.USER);
    assertThat(PolicyTarget.path("u", "h", "/p").kind()).isEqualTo(PolicyTarget.Kind.PATH);
  }

  @ParameterizedTest
  @CsvSource({"(global)", "@box", "alice@box", "alice@box:/data/db", "alice@box:C:\\Users"})
  void parsesWhatItRenders(String text) {
    assertThat(PolicyTarget.parse(text).text()).isEqualTo(text);
  }

  @Test
  void parsesIntoParts() {
    assertThat(PolicyTarget.parse("alice@box:/data"))
        .isEqualTo(PolicyTarget.path("alice", "box", "/data"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "alice@box:/data/| policy target path must not end in '/' or '\\' unless it is the root:"
            + " '/data/'",
        "alice@box:data| policy target path must be absolute: 'data'",
        "/data| policy target must be (global), @host, user@host or user@host:/path, got '/data'",
        "alice@| a user policy target needs a host, got user 'alice'",
        "-x@box| policy target user name must not start with '-': '-x'",
        "@bo x| policy target host must not contain '@', ':' or whitespace: 'bo x'",
      })
  void rejectsInvalidTargets(String text, String message) {
    assertThatThrownBy(() -> PolicyTarget.parse(text))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsAPathWithoutUserAndHost() {
    assertThatThrownBy(() -> PolicyTarget.of("", "", "/data"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("a path policy target needs a user and a host, got '@'");
  }
}
