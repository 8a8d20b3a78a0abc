package io.kanister.kopia.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretValueTest {

  @Test
  void toStringIsRedacted() {
    SecretValue secret = SecretValue.of("hunter2");

    assertThat(secret.toString()).isEqualTo("SecretValue[REDACTED]").doesNotContain("hunter2");
    assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain("hunter2");
  }

  @Test
  void revealReturnsTheValue() {
    assertThat(SecretValue.of("hunter2").reveal()).isEqualTo("hunter2");
  }

  @Test
  void equalsByValue() {
    assertThat(SecretValue.of("a"))
        .isEqualTo(SecretValue.of("a"))
        .hasSameHashCodeAs(SecretValue.of("a"));
    assertThat(SecretValue.of("a")).isNotEqualTo(SecretValue.of("b")).isNotEqualTo("a");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> SecretValue.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void blankness() {
    assertThat(SecretValue.of(" ").isBlank()).isTrue();
    assertThat(SecretValue.of("x").isBlank()).isFalse();
  }
}
