package io.kanister.kopia.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusOptionsTest {
  @Test
  void everySpellingOfTheFlags() {
    assertThat(StatusOptions.parse(List.of("-n", "ns", "repo", "-o", "json")))
        .isEqualTo(
            new StatusOptions(
                false, Optional.of("repo"), Optional.of("ns"), false, StatusOptions.Output.JSON));
    assertThat(StatusOptions.parse(List.of("--namespace=ns", "--output=text")).namespace())
        .contains("ns");
    assertThat(StatusOptions.parse(List.of("--namespace", "ns")).namespace()).contains("ns");
    assertThat(StatusOptions.parse(List.of("-o=json")).output())
        .isEqualTo(StatusOptions.Output.JSON);
    assertThat(StatusOptions.parse(List.of("--all-namespaces")).allNamespaces()).isTrue();
    assertThat(StatusOptions.parse(List.of("-A")).allNamespaces()).isTrue();
    assertThat(StatusOptions.parse(List.of()))
        .isEqualTo(
            new StatusOptions(
                false, Optional.empty(), Optional.empty(), false, StatusOptions.Output.TEXT));
  }

  @Test
  void badArgumentsAreRefusedWithoutEchoingAValue() {
    assertThatThrownBy(() -> StatusOptions.parse(List.of("--token=hunter2")))
        .hasMessage("unknown flag --token");
    assertThatThrownBy(() -> StatusOptions.parse(List.of("-n", "a", "-n", "b")))
        .hasMessage("--namespace given twice");
    assertThatThrownBy(() -> StatusOptions.parse(List.of("--namespace=")))
        .hasMessage("--namespace is empty");
    assertThatThrownBy(() -> StatusOptions.parse(List.of("-o"))).hasMessage("-o needs a value");
    assertThatThrownBy(() -> StatusOptions.parse(List.of("-A", "-n", "x")))
        .hasMessageContaining("exclude each other");
  }
}
