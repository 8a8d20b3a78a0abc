package io.kanister.kopia.model.secret;

import static io.kanister.kopia.model.secret.SecretFixtures.data;
import static io.kanister.kopia.model.secret.SecretFixtures.problemsOf;
import static io.kanister.kopia.model.secret.SecretFixtures.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.validation.Validated;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class AccessSecretParserTest {
  @Test
  void readsOneUserPerWorkload() {
    List<AccessUser> users =
        AccessSecretParser.parse(
                data(
                    "mysql-blue", "username: mysql\npassword: blue-password-value\n",
                    "pgsql-green", "username: \"pgsql\"\npassword: 'green password value'\n"))
            .value();

    assertThat(users)
        .extracting(AccessUser::workload, AccessUser::username, AccessUser::password)
        .containsExactly(
            Tuple.tuple("mysql-blue", "mysql", SecretValue.of("blue-password-value")),
            Tuple.tuple("pgsql-green", "pgsql", SecretValue.of("green password value")));
    assertThat(users.get(0).kopiaUsername("monitoring"))
        .isEqualTo(KopiaUsername.of("mysql@monitoring.mysql-blue"));
    assertThat(users.get(0).source()).isEqualTo(SecretFixtures.REF);
    assertThat(users.get(0).toString()).doesNotContain("blue-password-value");
  }

  @Test
  void keepsPasswordsExactlyAsWritten() {
    List<AccessUser> users =
        AccessSecretParser.parse(
                data(
                    "octal", "username: a\npassword: 0123",
                    "boolean", "username: b\npassword: yes",
                    "spaced", "\nusername:   c  \npassword: p4ss  \n\n"))
            .value();

    assertThat(users)
        .extracting(AccessUser::password)
        .containsExactly(SecretValue.of("yes"), SecretValue.of("0123"), SecretValue.of("p4ss"));
  }

  @Test
  void reportsMalformedYamlWithoutEchoingIt() {
    SecretData data =
        data("mysql-blue", "username: mysql\npassword: \"unclosed-password-value-9\n");

    assertThat(texts(problemsOf(AccessSecretParser.parse(data), data)))
        .singleElement()
        .satisfies(
            t ->
                assertThat(t)
                    .startsWith(
                        "Secret kanister/repository-monitoring-location, key 'mysql-blue': is not"
                            + " valid YAML (line ")
                    .doesNotContain("unclosed"));
  }

  @Test
  void reportsValuesThatAreNotAUsernamePasswordMapping() {
    SecretData data =
        data(
            "plain", "just-a-password-value",
            "list", "- username-in-a-list",
            "nested", "username: {first: x}\npassword: nested-password-value",
            "two-documents", "username: a\npassword: first-doc-value\n---\nusername: b\n");

    assertThat(texts(problemsOf(AccessSecretParser.parse(data), data)))
        .containsExactlyInAnyOrder(
            SecretFixtures.REF.key("plain")
                + ": must be YAML with the keys username and password; found no 'key: value'"
                + " lines",
            SecretFixtures.REF.key("list")
                + ": must be YAML with the keys username and password; found no 'key: value'"
                + " lines",
            SecretFixtures.REF.key("nested")
                + ": must be YAML with the keys username and password; the field 'username' must"
                + " be a plain value, not a list or map",
            SecretFixtures.REF.key("two-documents")
                + ": must be YAML with the keys username and password; found more than one YAML"
                + " document");
  }

  @Test
  void reportsMissingEmptyUnknownAndDuplicateFields() {
    SecretData data =
        data(
            "no-password", "username: mysql",
            "empty-password", "username: mysql\npassword: ''",
            "no-username", "password: lonely-password-value",
            "typo", "username: mysql\npasword: typo-password-value\npassword: real-password-1",
            "twice", "username: a\npassword: first-password-1\npassword: second-password-2",
            "empty", "  ");

    assertThat(texts(problemsOf(AccessSecretParser.parse(data), data)))
        .containsExactlyInAnyOrder(
            SecretFixtures.REF.key("no-password") + ": has no password; add 'password: <password>'",
            SecretFixtures.REF.key("empty-password")
                + ": has no password; add 'password: <password>'",
            SecretFixtures.REF.key("no-username") + ": has no username; add 'username: <name>'",
            SecretFixtures.REF.key("typo")
                + ": has the unknown field 'pasword'; only username and password are allowed",
            SecretFixtures.REF.key("twice")
                + ": is not valid YAML (line 3, column 9); check the"
                + " syntax",
            SecretFixtures.REF.key("empty") + ": is empty; give it a value or remove the key");
  }

  @Test
  void refusesNamesKopiaCannotUse() {
    SecretData data =
        data(
            "MySQL_Blue", "username: mysql\npassword: pw-value-1",
            "pgsql", "username: Postgres Admin\npassword: pw-value-2");

    assertThat(problemsOf(AccessSecretParser.parse(data), data))
        .extracting(p -> p.where())
        .containsExactly(SecretFixtures.REF.key("MySQL_Blue"), SecretFixtures.REF.key("pgsql"));
  }

  @Test
  void refusesASecretWithoutKeys() {
    SecretData data = data();

    assertThat(texts(problemsOf(AccessSecretParser.parse(data), data)))
        .containsExactly(
            "Secret kanister/repository-monitoring-location: has no keys; add one key per"
                + " workload whose value is YAML with username and password");
  }

  @Test
  void judgesEachEntryOnItsOwn() {
    SecretData data =
        SecretData.of(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace("kanister")
                .withName("access")
                .endMetadata()
                .withData(Map.of("broken-base64", "!!!"))
                .withStringData(
                    Map.of(
                        "mysql-blue", "username: mysql\npassword: blue-password-value",
                        "mysql-green", "username: mysql\n"))
                .build());

    Map<String, Validated<AccessUser>> entries = AccessSecretParser.parseEach(data);

    assertThat(entries.keySet()).containsExactly("broken-base64", "mysql-blue", "mysql-green");
    assertThat(entries.get("mysql-blue").value().password())
        .isEqualTo(SecretValue.of("blue-password-value"));
    assertThat(texts(entries.get("mysql-green").problems()))
        .containsExactly(
            "Secret kanister/access, key 'mysql-green': has no password; add 'password:"
                + " <password>'");
    assertThat(texts(entries.get("broken-base64").problems()))
        .containsExactly(
            "Secret kanister/access, key 'broken-base64': data values must be base64; put plain"
                + " text under stringData instead");
    assertThat(problemsOf(AccessSecretParser.parse(data), data)).hasSize(2);
  }
}
