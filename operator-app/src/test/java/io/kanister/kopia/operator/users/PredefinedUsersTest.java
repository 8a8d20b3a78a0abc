package io.kanister.kopia.operator.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredefinedUsersTest {
  private static final String TARGET = "monitoring";

  static Secret secret(String name, Map<String, String> entries) {
    return secret("kanister", name, entries);
  }

  static Secret secret(String namespace, String name, Map<String, String> entries) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withStringData(entries)
        .build();
  }

  @Test
  void eachKeyIsAUserNamedUsernameAtNamespaceDotWorkload() {
    DesiredUsers users =
        PredefinedUsers.from(
            TARGET,
            "kanister",
            List.of("access"),
            Map.of(
                "access",
                secret(
                    "access",
                    Map.of(
                        "mysql-blue", "username: mysql\npassword: blue-password-1",
                        "pgsql", "username: postgres\npassword: pg-password-22"))));

    assertThat(users.failures()).isEmpty();
    assertThat(users.users().keySet())
        .containsExactly(
            KopiaUsername.of("mysql@monitoring.mysql-blue"),
            KopiaUsername.of("postgres@monitoring.pgsql"));
    DesiredUser mysql = users.users().get(KopiaUsername.of("mysql@monitoring.mysql-blue"));
    assertThat(mysql.password().reveal()).isEqualTo("blue-password-1");
    assertThat(mysql.source()).isEqualTo("Secret kanister/access, key 'mysql-blue'");
    assertThat(mysql.toString()).doesNotContain("blue-password-1");
    assertThat(mysql.origin()).isEqualTo(ManagedUsers.secretOrigin("access", "mysql-blue"));
    assertThat(users.holds()).isEmpty();
  }

  @Test
  void badEntriesFailAloneWithNamedReasons() {
    DesiredUsers users =
        PredefinedUsers.from(
            TARGET,
            "kanister",
            List.of("access"),
            Map.of(
                "access",
                secret(
                    "access",
                    Map.of(
                        "good", "username: app\npassword: good-password-1",
                        "malformed", "username: app\npassword: \"unclosed-secret-value",
                        "spaces", "username: Postgres Admin\npassword: spaced-password-1",
                        "Upper_Key", "username: app\npassword: upper-password-1"))));

    assertThat(users.users().keySet()).containsExactly(KopiaUsername.of("app@monitoring.good"));
    assertThat(users.failures())
        .extracting(UserFailure::username, UserFailure::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("malformed", FailureReasons.INVALID_ACCESS_SECRET),
            org.assertj.core.groups.Tuple.tuple("spaces", FailureReasons.INVALID_USERNAME),
            org.assertj.core.groups.Tuple.tuple(
                "Upper_Key", FailureReasons.INVALID_WORKLOAD_IDENTIFIER));
    assertThat(users.failures())
        .allSatisfy(
            f ->
                assertThat(f.message())
                    .contains("Secret kanister/access")
                    .doesNotContain("unclosed-secret-value")
                    .doesNotContain("spaced-password-1"));
    assertThat(users.requestedCount()).isEqualTo(4);
    // Entries that no longer parse hold whatever user they served before.
    assertThat(users.holds())
        .containsExactlyInAnyOrder(
            ManagedUsers.secretOrigin("access", "malformed"),
            ManagedUsers.secretOrigin("access", "spaces"),
            ManagedUsers.secretOrigin("access", "Upper_Key"));
  }

  @Test
  void composedNamesAreLowercased() {
    DesiredUsers users =
        PredefinedUsers.from(
            "Monitoring",
            "kanister",
            List.of("access"),
            Map.of("access", secret("access", Map.of("db", "username: app\npassword: pw-1234"))));
    assertThat(users.users().keySet()).containsExactly(KopiaUsername.of("app@monitoring.db"));
  }

  @Test
  void missingSecretIsAFailureAndOtherSecretsStillServe() {
    DesiredUsers users =
        PredefinedUsers.from(
            TARGET,
            "kanister",
            List.of("gone", "access"),
            Map.of("access", secret("access", Map.of("db", "username: app\npassword: pw-1234"))));
    assertThat(users.users()).containsOnlyKeys(KopiaUsername.of("app@monitoring.db"));
    assertThat(users.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.username()).isEqualTo("kanister/gone");
              assertThat(f.reason()).isEqualTo(FailureReasons.ACCESS_SECRET_NOT_FOUND);
              assertThat(f.message()).contains("keep their last password");
            });
    assertThat(users.holds()).containsExactly(ManagedUsers.wholeSecret("gone"));
  }

  @Test
  void anUnreadableSecretHoldsItsUsersAndOtherSecretsStillServe() {
    Map<String, Secret> found =
        Map.of("access", secret("access", Map.of("db", "username: app\npassword: pw-1234")));
    DesiredUsers users =
        PredefinedUsers.from(
            TARGET,
            "kanister",
            List.of("locked", "access"),
            name -> {
              if (name.equals("locked")) {
                throw new io.fabric8.kubernetes.client.KubernetesClientException(
                    new io.fabric8.kubernetes.api.model.StatusBuilder()
                        .withCode(403)
                        .withMessage("secrets \"locked\" is forbidden")
                        .build());
              }
              return found.get(name);
            });
    assertThat(users.users()).containsOnlyKeys(KopiaUsername.of("app@monitoring.db"));
    assertThat(users.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FailureReasons.ACCESS_SECRET_UNREADABLE);
              assertThat(f.message()).contains("kanister/locked", "403", "is forbidden");
            });
    assertThat(users.holds()).containsExactly(ManagedUsers.wholeSecret("locked"));
  }

  @Test
  void theFirstListedSecretWinsADuplicateUsername() {
    DesiredUsers users =
        PredefinedUsers.from(
            TARGET,
            "kanister",
            List.of("first", "second"),
            Map.of(
                "first", secret("first", Map.of("db", "username: app\npassword: first-pw-1")),
                "second", secret("second", Map.of("db", "username: app\npassword: second-pw-2"))));
    assertThat(users.users().get(KopiaUsername.of("app@monitoring.db")).password().reveal())
        .isEqualTo("first-pw-1");
    assertThat(users.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FailureReasons.DUPLICATE_USER);
              assertThat(f.message()).contains("kanister/second").doesNotContain("second-pw-2");
            });
  }

  @Test
  void aSecretWithoutKeysIsReported() {
    DesiredUsers users =
        PredefinedUsers.from(
            TARGET, "kanister", List.of("empty"), Map.of("empty", secret("empty", Map.of())));
    assertThat(users.users()).isEmpty();
    assertThat(users.failures())
        .extracting(UserFailure::reason)
        .containsExactly(FailureReasons.INVALID_ACCESS_SECRET);
    assertThat(users.holds()).containsExactly(ManagedUsers.wholeSecret("empty"));
  }
}
