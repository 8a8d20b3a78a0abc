package io.kanister.kopia.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void toStringIsRedacted() {
    Secret secret = Secret.of("hunter2");

    assertThat(secret.toString()).isEqualTo("Secret[REDACTED]").doesNotContain("hunter2");
    assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain("hunter2");
  }

  @Test
  void revealReturnsTheValue() {
    assertThat(Secret.of("hunter2").reveal()).isEqualTo("hunter2");
  }

  @Test
  void equalsByValue() {
    assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).hasSameHashCodeAs(Secret.of("a"));
    assertThat(Secret.of("a")).isNotEqualTo(Secret.of("b")).isNotEqualTo("a");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void blankness() {
    assertThat(Secret.of(" ").isBlank()).isTrue();
    assertThat(Secret.of("x").isBlank()).isFalse();
  }
}
