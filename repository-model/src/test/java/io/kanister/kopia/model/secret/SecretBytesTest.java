package io.kanister.kopia.model.secret;

import static io.kanister.kopia.model.secret.SecretFixtures.data;
import static io.kanister.kopia.model.secret.SecretFixtures.dataOfType;
import static io.kanister.kopia.model.secret.SecretFixtures.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.Validated;
import io.kanister.kopia.testsupport.TestPki;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every key of every Secret type: a NUL byte or another control character is refused with a problem
 * naming the Secret and the key, never the value; documents (PEM, JSON, YAML) keep their line
 * breaks.
 */
class SecretBytesTest {
  private static final TestPki.Issued SERVER =
      TestPki.newCa("bytes-ca").issueServer("repo", List.of("repo.kanister.svc"), List.of());
  private static final String MARKER = "marker-value-never-shown";

  /** A valid Secret per parser, as alternating keys and values. */
  private static final Map<String, String[]> VALID = new LinkedHashMap<>();

  private static final Map<String, Function<SecretData, Validated<?>>> PARSERS =
      new LinkedHashMap<>();

  static {
    VALID.put(
        "s3",
        new String[] {
          "type",
          "s3",
          "repo-password",
          "pw-123456",
          "bucket",
          "b",
          "prefix",
          "p/",
          "endpoint",
          "http://127.0.0.1:9000",
          "region",
          "us-east-1",
          "access-key",
          "AKIA",
          "secret-access-key",
          "sk-123456",
          "session-token",
          "tok-123456",
          "disable-tls",
          "true",
          "disable-tls-verification",
          "false",
          "root-ca-pem",
          SERVER.certPem()
        });
    VALID.put(
        "gcs",
        new String[] {
          "type",
          "gcs",
          "repo-password",
          "pw-123456",
          "bucket",
          "b",
          "prefix",
          "p/",
          "credentials.json",
          "{\n  \"type\": \"service_account\"\n}\n"
        });
    VALID.put(
        "azure",
        new String[] {
          "type",
          "azure",
          "repo-password",
          "pw-123456",
          "container",
          "c",
          "prefix",
          "p/",
          "storage-account",
          "acct",
          "storage-key",
          "key-123456",
          "storage-domain",
          "blob.core.windows.net"
        });
    VALID.put(
        "filesystem", new String[] {"type", "filesystem", "repo-password", "pw-123", "path", "/r"});
    VALID.put(
        "b2",
        new String[] {
          "type",
          "b2",
          "repo-password",
          "pw-123456",
          "bucket",
          "b",
          "prefix",
          "p/",
          "key-id",
          "kid-123",
          "key",
          "k-123456"
        });
    VALID.put(
        "admin",
        new String[] {
          "username",
          "admin",
          "password",
          "pw-123456",
          "control-username",
          "ctl",
          "control-password",
          "cpw-123456"
        });
    VALID.put("tls", new String[] {"tls.crt", SERVER.certPem(), "tls.key", SERVER.keyPem()});
    VALID.put("access", new String[] {"app", "username: app\npassword: pw-123456\n"});
    for (String type : List.of("s3", "gcs", "azure", "filesystem", "b2")) {
      PARSERS.put(type, LocationSecretParser::parse);
    }
    PARSERS.put("admin", AdminSecretParser::parse);
    PARSERS.put("tls", TlsSecretParser::parse);
    PARSERS.put("access", AccessSecretParser::parse);
  }

  static Stream<Arguments> everyKey() {
    List<Arguments> cases = new ArrayList<>();
    VALID.forEach(
        (secret, keysAndValues) -> {
          for (int i = 0; i < keysAndValues.length; i += 2) {
            for (String bad : List.of("\0", "\u001b", "\u007f", "\u0085")) {
              cases.add(Arguments.of(secret, keysAndValues[i], bad));
            }
          }
        });
    return cases.stream();
  }

  @Test
  void theValidSecretsAreValid() {
    VALID.forEach(
        (secret, keysAndValues) ->
            assertThat(PARSERS.get(secret).apply(data(keysAndValues)).problems())
                .as(secret)
                .isEmpty());
  }

  @ParameterizedTest(name = "{0} key {1} with U+{2}")
  @MethodSource("everyKey")
  void aControlCharacterInAnyKeyIsNamedAndNeverShown(String secret, String key, String bad) {
    String[] keysAndValues = VALID.get(secret).clone();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i].equals(key)) {
        String value = keysAndValues[i + 1];
        // In the middle, where neither trimming nor "one trailing line break" could hide it.
        int middle = value.length() / 2;
        keysAndValues[i + 1] = value.substring(0, middle) + MARKER + bad + value.substring(middle);
      }
    }
    SecretData data =
        secret.equals("tls") ? dataOfType("kubernetes.io/tls", keysAndValues) : data(keysAndValues);

    List<Problem> problems = problemsOf(PARSERS.get(secret).apply(data), data);

    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.where()).isEqualTo(SecretFixtures.REF.key(key));
              assertThat(p.message())
                  .contains(bad.equals("\0") ? "a NUL byte" : "a control character");
            });
    assertThat(problems).allSatisfy(p -> assertThat(p.text()).doesNotContain(MARKER));
  }

  @Test
  void aYamlEscapeCannotSmuggleANulIntoAnAccessPassword() {
    SecretData data = data("app", "username: app\npassword: \"pw\\0" + MARKER + "\"\n");

    List<Problem> problems = problemsOf(AccessSecretParser.parse(data), data);

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.where()).isEqualTo(SecretFixtures.REF.key("app"));
              assertThat(p.message()).contains("password").contains("a NUL byte");
              assertThat(p.text()).doesNotContain(MARKER);
            });
  }

  @Test
  void oneTrailingLineBreakStaysAllowedInOneLineValues() {
    assertThat(
            LocationSecretParser.parse(
                    data("type", "filesystem\n", "repo-password", "pw-123\r\n", "path", "/r\n"))
                .problems())
        .isEmpty();
  }
}
