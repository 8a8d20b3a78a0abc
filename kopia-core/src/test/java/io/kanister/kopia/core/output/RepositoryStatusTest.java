package io.kanister.kopia.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepositoryStatusTest {

  @Test
  void parsesFilesystemRepositoryStatus() {
    RepositoryStatus status = RepositoryStatus.parse(CapturedOutput.read("repository-status.json"));

    assertThat(status.configFile()).isEqualTo("/tmp/capw.bhg2/repo.config");
    assertThat(status.uniqueIdHex())
        .contains("57966c83489e064eb14c90320061991e9c6f970c779b63b92e3a3789200da824");
    assertThat(status.clientOptions().hostname()).contains("vm");
    assertThat(status.clientOptions().username()).contains("root");
    assertThat(status.clientOptions().readOnly()).isFalse();
    assertThat(status.clientOptions().description())
        .contains("Repository in Filesystem: /tmp/capw.bhg2/repo");
    assertThat(status.storageType()).contains("filesystem");
    assertThat(status.splitter()).contains("DYNAMIC-4M-BUZHASH");
    assertThat(status.contentFormat())
        .hasValueSatisfying(
            format -> {
              assertThat(format.hash()).isEqualTo("BLAKE2B-256-128");
              assertThat(format.encryption()).isEqualTo("AES256-GCM-HMAC-SHA256");
              assertThat(format.formatVersion()).hasValue(3);
              assertThat(format.maxPackSize()).hasValue(20_971_520L);
              assertThat(format.indexVersion()).hasValue(2);
            });
  }

  @Test
  void parsesApiServerConnectionStatus() {
    RepositoryStatus status =
        RepositoryStatus.parse(CapturedOutput.read("repository-status-api-server.json"));

    assertThat(status.configFile()).isEqualTo("/tmp/capw.bhg2/client2.config");
    assertThat(status.clientOptions().hostname()).contains("host");
    assertThat(status.clientOptions().username()).contains("alice");
    assertThat(status.clientOptions().description())
        .contains("API Server: https://127.0.0.1:51597");
    // Kopia prints empty placeholders here rather than omitting the fields.
    assertThat(status.uniqueIdHex()).isEmpty();
    assertThat(status.storageType()).isEmpty();
    assertThat(status.contentFormat()).isEmpty();
    assertThat(status.splitter()).isEmpty();
  }

  @Test
  void readsReadOnlyConnection() {
    RepositoryStatus status =
        RepositoryStatus.parse(CapturedOutput.read("repository-status-readonly.json"));

    assertThat(status.clientOptions().readOnly()).isTrue();
    assertThat(status.storageType()).contains("filesystem");
  }

  @Test
  void rejectsOutputWithoutConfigFile() {
    assertThatThrownBy(() -> RepositoryStatus.parse("{\"clientOptions\":{}}"))
        .isInstanceOf(KopiaOutputException.class)
        .hasMessageContaining("configFile");
  }

  @Test
  void malformedJsonErrorDoesNotQuoteTheInput() {
    assertThatThrownBy(() -> RepositoryStatus.parse("{\"configFile\": s3cr3t"))
        .isInstanceOf(KopiaOutputException.class)
        .hasMessageNotContaining("s3cr3t");
  }
}
