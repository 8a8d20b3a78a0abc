package io.kanister.kopia.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KopiaUsernameTest {

  @Test
  void acceptsKopiaForm() {
    KopiaUsername name = KopiaUsername.of("backup-agent_1.x@node-7.cluster");

    assertThat(name.user()).isEqualTo("backup-agent_1.x");
    assertThat(name.host()).isEqualTo("node-7.cluster");
    assertThat(name).hasToString("backup-agent_1.x@node-7.cluster");
    assertThat(KopiaUsername.of("a", "b")).isEqualTo(KopiaUsername.of("a@b"));
  }

  @Test
  void lowercasingFactory() {
    assertThat(KopiaUsername.lowercased("Alice@Host.Example").value())
        .isEqualTo("alice@host.example");
  }

  @Test
  void rejectsInvalidNames() {
    for (String bad :
        new String[] {"Alice@host", "alice", "a@b@c", "@host", "alice@", "a b@h", ""}) {
      assertThatThrownBy(() -> KopiaUsername.of(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lowercase 'user@hostname'");
    }
    assertThatThrownBy(() -> KopiaUsername.lowercased(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
