package io.kanister.kopia.model.secret;

import static io.kanister.kopia.model.secret.SecretFixtures.data;
import static io.kanister.kopia.model.secret.SecretFixtures.problemsOf;
import static io.kanister.kopia.model.secret.SecretFixtures.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.secret.SecretValue;
import org.junit.jupiter.api.Test;

class AdminSecretParserTest {
  @Test
  void defaultsEverythingButThePassword() {
    ServerAdminCredentials admin =
        AdminSecretParser.parse(data("password", "ui-password-value")).value();

    assertThat(admin.username()).isEqualTo("kopia");
    assertThat(admin.password()).isEqualTo(SecretValue.of("ui-password-value"));
    assertThat(admin.controlUsername()).isEqualTo("server-control");
    assertThat(admin.controlPassword()).isEqualTo(SecretValue.of("ui-password-value"));
    assertThat(admin.toString()).doesNotContain("ui-password-value", "kopia");
  }

  @Test
  void refusesAValueWithATrailingLineBreakBecauseTheServerWouldKeepIt() {
    SecretData data = data("password", "ui-password-value\n");
    var problems = texts(problemsOf(AdminSecretParser.parse(data), data));

    assertThat(problems)
        .singleElement()
        .asString()
        .contains("key 'password'")
        .contains("starts or ends with whitespace")
        .doesNotContain("ui-password-value");
  }

  @Test
  void readsEveryKey() {
    ServerAdminCredentials admin =
        AdminSecretParser.parse(
                data(
                    "username", "admin",
                    "password", "ui-password-value",
                    "control-username", "operator",
                    "control-password", "control-password-value"))
            .value();

    assertThat(admin.username()).isEqualTo("admin");
    assertThat(admin.controlUsername()).isEqualTo("operator");
    assertThat(admin.controlPassword()).isEqualTo(SecretValue.of("control-password-value"));
  }

  @Test
  void reportsAMissingOrEmptyPassword() {
    SecretData missing = data("username", "admin-user");
    assertThat(texts(problemsOf(AdminSecretParser.parse(missing), missing)))
        .containsExactly(
            SecretFixtures.REF.key("password")
                + ": is missing; add the password of the server UI user");

    SecretData empty = data("password", "  \n", "control-password", "");
    assertThat(problemsOf(AdminSecretParser.parse(empty), empty))
        .extracting(p -> p.where())
        .containsExactly(
            SecretFixtures.REF.key("password"), SecretFixtures.REF.key("control-password"));
  }

  @Test
  void refusesBadAndCollidingUsernames() {
    SecretData colon = data("username", "admin:secret-part", "password", "ui-password-value");
    assertThat(texts(problemsOf(AdminSecretParser.parse(colon), colon)))
        .containsExactly(
            SecretFixtures.REF.key("username")
                + ": must not contain ':' or whitespace (HTTP basic auth)");

    SecretData same =
        data("username", "same-name", "control-username", "same-name", "password", "pw-value");
    assertThat(texts(problemsOf(AdminSecretParser.parse(same), same)))
        .singleElement()
        .satisfies(t -> assertThat(t).contains("key 'control-username': must differ"));
  }

  @Test
  void refusesUnknownKeys() {
    SecretData data = data("password", "ui-password-value", "control-pasword", "other-value");

    assertThat(texts(problemsOf(AdminSecretParser.parse(data), data)))
        .singleElement()
        .satisfies(t -> assertThat(t).contains("did you mean 'control-password'?"));
  }
}
