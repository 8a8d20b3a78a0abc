package io.kanister.kopia.core.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerControlStatusTest {

  @Test
  void parsesConnectedServer() {
    ServerControlStatus status =
        ServerControlStatus.parse(CapturedOutput.read("control-status-connected.json"));

    assertThat(status.connected()).isTrue();
    assertThat(status.configFile()).contains("/tmp/capw.bhg2/repo.config");
    assertThat(status.formatVersion()).hasValue(3);
    assertThat(status.hash()).contains("BLAKE2B-256-128");
    assertThat(status.encryption()).contains("AES256-GCM-HMAC-SHA256");
    assertThat(status.splitter()).contains("DYNAMIC-4M-BUZHASH");
    assertThat(status.maxPackSize()).hasValue(20_971_520L);
    assertThat(status.storage()).contains("filesystem");
    assertThat(status.apiServerUrl()).isEmpty();
    assertThat(status.supportsContentCompression()).isTrue();
    assertThat(status.clientOptions().hostname()).contains("vm");
    assertThat(status.clientOptions().username()).contains("root");
    assertThat(status.clientOptions().readOnly()).isFalse();
  }

  @Test
  void parsesServerWithoutRepository() {
    ServerControlStatus status =
        ServerControlStatus.parse(CapturedOutput.read("control-status-unconnected.json"));

    assertThat(status.connected()).isFalse();
    assertThat(status.configFile()).isEmpty();
    assertThat(status.storage()).isEmpty();
    assertThat(status.hash()).isEmpty();
    assertThat(status.formatVersion()).isEmpty();
    assertThat(status.clientOptions().hostname()).isEmpty();
    assertThat(status.clientOptions().username()).isEmpty();
  }
}
