package io.kanister.kopia.model.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/secrets.md documents every key the parsers accept. */
class SecretsDocumentationTest {
  private static final Path DOC = Path.of("..", "docs", "secrets.md").toAbsolutePath().normalize();

  @Test
  void everyParsedKeyIsDocumented() throws Exception {
    String doc = Files.readString(DOC);
    List<String> keys = new ArrayList<>(LocationSecretParser.allKeys());
    keys.addAll(
        List.of(
            AdminSecretParser.USERNAME,
            AdminSecretParser.PASSWORD,
            AdminSecretParser.CONTROL_USERNAME,
            AdminSecretParser.CONTROL_PASSWORD,
            AdminSecretParser.DEFAULT_USERNAME,
            AdminSecretParser.DEFAULT_CONTROL_USERNAME,
            TlsSecretParser.CERTIFICATE,
            TlsSecretParser.PRIVATE_KEY,
            TlsSecretParser.CA_CERTIFICATE,
            LocationSecretParser.DEFAULT_GCS_CREDENTIALS_FILE));
    for (String key : keys) {
      assertThat(doc).as("%s documents `%s`", DOC, key).contains("`" + key + "`");
    }
    for (LocationSecretParser.StorageType type : LocationSecretParser.StorageType.values()) {
      assertThat(doc).contains("`" + type.value() + "`");
    }
  }
}
