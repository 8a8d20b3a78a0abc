package io.kanister.kopia.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.model.repository.FailedUser;
import io.kanister.kopia.model.repository.RepositoryConditionTypes;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.model.status.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelValuesTest {
  @Test
  void labelNamesAreTheSeedOnes() {
    assertThat(RepositoryLabels.TARGET_NAMESPACE).isEqualTo("repo.kanister.io/target-namespace");
    assertThat(RepositoryLabels.AUTHN_MODE).isEqualTo("repo.kanister.io/authn-mode");
    assertThat(RepositoryLabels.REPO_SCOPE).isEqualTo("repo.kanister.io/repo-scope");
    assertThat(AuthnMode.SERVICE_ACCOUNT).isEqualTo("service-account");
  }

  @Test
  void scopesReadTheirValues() {
    assertThat(RepositoryScope.fromValue(" Namespace ")).contains(RepositoryScope.NAMESPACE);
    assertThat(RepositoryScope.fromValue("global")).contains(RepositoryScope.GLOBAL);
    assertThat(RepositoryScope.fromValue("cluster")).isEmpty();
    assertThat(RepositoryScope.fromValue(null)).isEmpty();
  }

  @Test
  void usersSummaryAgreesWithItsCounts() {
    UsersStatus users =
        UsersStatus.of(6, 5, List.of(new FailedUser("a@b.c", "InvalidAccessSecret", "m")));

    assertThat(users.getSummary()).isEqualTo("5/6");
    assertThat(users.getFailed()).extracting(FailedUser::getUsername).containsExactly("a@b.c");
  }

  @Test
  void statusFindsAConditionByType() {
    RepositoryStatus status = new RepositoryStatus();
    status.setConditions(
        List.of(
            new Condition(RepositoryConditionTypes.SERVER_READY, Condition.FALSE, "Starting", "")));

    assertThat(status.condition(RepositoryConditionTypes.SERVER_READY))
        .map(Condition::getReason)
        .contains("Starting");
    assertThat(status.condition(RepositoryConditionTypes.REPOSITORY_READY)).isEmpty();
  }
}
