package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectOptionsTest {

  @Test
  void nameAndFlagsInAnyOrder() {
    ConnectOptions options =
        ConnectOptions.parse(
            new String[] {
              "--user=alice@apps.laptop", "repo", "--to-dir=/tmp/k", "--server-address=127.0.0.1:5"
            });
    assertThat(options.repository()).isEqualTo("repo");
    assertThat(options.user()).isEqualTo("alice@apps.laptop");
    assertThat(options.directory()).isEqualTo("/tmp/k");
    assertThat(options.serverAddress()).isEqualTo(Optional.of("127.0.0.1:5"));
    assertThat(options.namespace()).isEmpty();
    assertThat(options.passwordFromStdin()).isFalse();
  }

  @Test
  void anUnknownArgumentIsNamedByPositionNeverEchoed() {
    assertThatThrownBy(
            () ->
                ConnectOptions.parse(
                    new String[] {"repo", "--user=a@b.c", "--to-dir=/x", "--pasword=hunter2-xyz"}))
        .hasMessage("unknown argument #4");
    assertThatThrownBy(() -> ConnectOptions.parse(new String[] {"repo", "second-word"}))
        .hasMessage("unknown argument #2");
  }

  @Test
  void requiredAndMalformed() {
    assertThatThrownBy(() -> ConnectOptions.parse(new String[] {"--user=a@b.c", "--to-dir=/x"}))
        .hasMessageContaining("NAME is required");
    assertThatThrownBy(() -> ConnectOptions.parse(new String[] {"repo", "--to-dir=/x"}))
        .hasMessage("--user is required");
    for (String bad : new String[] {"localhost", "host:", "host:99999", "https://h:1", ":1"}) {
      assertThatThrownBy(
              () ->
                  ConnectOptions.parse(
                      new String[] {
                        "repo", "--user=a@b.c", "--to-dir=/x", "--server-address=" + bad
                      }))
          .as(bad)
          .hasMessageContaining("HOST:PORT");
    }
    ConnectOptions.checkAddress("[::1]:51515");
  }
}
