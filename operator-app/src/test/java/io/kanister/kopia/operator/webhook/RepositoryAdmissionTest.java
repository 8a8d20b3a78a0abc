package io.kanister.kopia.operator.webhook;

import static io.kanister.kopia.operator.Repositories.repository;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.policy.TargetedPolicySpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepositoryAdmissionTest {
  private static final String OPERATOR_NS = "kanister";

  private final Set<String> existingSecrets = Set.of("location", "admin", "tls", "access-a");
  private final List<String> lookedUp = new ArrayList<>();
  private final SecretLookup lookup =
      (namespace, name) -> {
        lookedUp.add(namespace + "/" + name);
        return existingSecrets.contains(name);
      };
  private final RepositoryAdmission global =
      new RepositoryAdmission(RepositoryScope.GLOBAL, OPERATOR_NS, lookup);
  private final RepositoryAdmission namespaced =
      new RepositoryAdmission(RepositoryScope.NAMESPACE, OPERATOR_NS, lookup);

  @Test
  void globalModeAllowsTheSingletonWithoutTarget() {
    AdmissionVerdict verdict =
        global.review(OPERATOR_NS, repository(OPERATOR_NS, "repository-global", null), null);

    assertThat(verdict.allowed()).isTrue();
    assertThat(verdict.warnings()).isEmpty();
  }

  @Test
  void globalModeDeniesAnyOtherRepository() {
    AdmissionVerdict verdict =
        global.review(OPERATOR_NS, repository(OPERATOR_NS, "second", null), null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .startsWith("Repository kanister/second is not allowed: metadata.name: ")
        .contains("global mode (--repository-scope=global)")
        .contains("singleton 'repository-global'")
        .contains("use it instead");
  }

  @Test
  void globalModeDeniesATargetNamespaceOnTheSingleton() {
    AdmissionVerdict verdict =
        global.review(OPERATOR_NS, repository(OPERATOR_NS, "repository-global", "app"), null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .contains("spec.targetNamespace: must be omitted in global mode")
        .contains("remove the field");
  }

  @Test
  void namespaceModeRequiresATarget() {
    AdmissionVerdict verdict =
        namespaced.review(OPERATOR_NS, repository(OPERATOR_NS, "app-repo", null), null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .isEqualTo(
            "Repository kanister/app-repo is not allowed: spec.targetNamespace: is required in"
                + " namespace mode (--repository-scope=namespace); set it to the namespace whose"
                + " workloads this Repository serves");
  }

  @Test
  void namespaceModeAllowsSeveralRepositoriesWithTargets() {
    assertThat(
            namespaced.review(OPERATOR_NS, repository(OPERATOR_NS, "app-a", "app"), null).allowed())
        .isTrue();
    assertThat(
            namespaced.review(OPERATOR_NS, repository(OPERATOR_NS, "app-b", "app"), null).allowed())
        .isTrue();
  }

  @Test
  void refusesAChangeOfTarget() {
    Repository old = repository(OPERATOR_NS, "app-repo", "app");
    Repository changed = repository(OPERATOR_NS, "app-repo", "other");

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, changed, old);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .contains(
            "spec.targetNamespace: is immutable: it cannot be changed from 'app' to 'other';"
                + " keep 'app', or create a new Repository for 'other' instead");
  }

  @Test
  void refusesRemovingTheTargetOnUpdate() {
    Repository old = repository(OPERATOR_NS, "app-repo", "app");
    Repository changed = repository(OPERATOR_NS, "app-repo", null);

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, changed, old);

    assertThat(verdict.message()).contains("from 'app' to (none)");
  }

  @Test
  void allowsAnUpdateThatKeepsTheTarget() {
    Repository old = repository(OPERATOR_NS, "app-repo", "app");
    Repository updated = repository(OPERATOR_NS, "app-repo", "app");
    updated.getSpec().setServer(new ServerSpec());

    assertThat(namespaced.review(OPERATOR_NS, updated, old).allowed()).isTrue();
  }

  @Test
  void neverBlocksAnUpdateOfARepositoryBeingDeleted() {
    Repository old = repository(OPERATOR_NS, "second", null);
    Repository deleting = repository(OPERATOR_NS, "second", null);
    deleting.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");

    assertThat(global.review(OPERATOR_NS, deleting, old).allowed()).isTrue();
  }

  @Test
  void refusesRepositoriesOutsideTheOperatorNamespace() {
    AdmissionVerdict verdict = namespaced.review("app", repository("app", "app-repo", "app"), null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .startsWith("Repository app/app-repo is not allowed: metadata.namespace: ")
        .contains("operator namespace 'kanister', not 'app'")
        .contains("kubectl -n kanister apply");
  }

  @Test
  void requiresALocationSecret() {
    Repository repository = repository(OPERATOR_NS, "app-repo", "app");
    repository.getSpec().setLocation(null);

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, repository, null);

    assertThat(verdict.message()).contains("spec.location.secretName: is required");
  }

  @Test
  void refusesSecretNamesThatAreNotDns1123Subdomains() {
    Repository repository = repository(OPERATOR_NS, "app-repo", "app");
    repository.getSpec().getLocation().setSecretName("Location_Secret");
    ServerSpec server = new ServerSpec();
    server.setAdminSecretName("-admin");
    server.setTlsSecretName("tls." + "x".repeat(250));
    server.setAccessSecretNames(List.of("access-a", "access b"));
    repository.getSpec().setServer(server);

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, repository, null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .contains("spec.location.secretName: 'Location_Secret' is not a valid Secret name")
        .contains("spec.server.adminSecretName: '-admin' is not a valid Secret name")
        .contains("spec.server.tlsSecretName: 'tls.xxx")
        .contains("spec.server.accessSecretNames[1]: 'access b' is not a valid Secret name")
        .doesNotContain("accessSecretNames[0]")
        .contains("DNS-1123 subdomain");
  }

  @Test
  void refusesABadSnapshotInterval() {
    Repository repository = repository(OPERATOR_NS, "app-repo", "app");
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setSnapshotInterval("0s");
    repository.getSpec().setPolicy(policy);

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, repository, null);

    assertThat(verdict.message()).contains("spec.policy.snapshotInterval: must be at least 1s");
  }

  @Test
  void refusesBadCronExpressionsInEveryPolicy() {
    Repository repository = repository(OPERATOR_NS, "app-repo", "app");
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setSnapshotTimeCrontab(List.of("0 3 * * *", "61 3 * * *"));
    repository.getSpec().setPolicy(policy);
    RepositoryPolicySpec targeted = new RepositoryPolicySpec();
    targeted.setSnapshotTimeCrontab(List.of("every day"));
    repository.getSpec().setPolicies(List.of(new TargetedPolicySpec("app@cluster", targeted)));

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, repository, null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .contains("spec.policy.snapshotTimeCrontab[1]: '61 3 * * *': minute 61 is out of range")
        .contains("spec.policies[0].policy.snapshotTimeCrontab[0]: 'every day' has 2 fields")
        .doesNotContain("snapshotTimeCrontab[0]: '0 3");
  }

  @Test
  void refusesPolicyProblemsTheSchemaCannotSee() {
    Repository repository = repository(OPERATOR_NS, "app-repo", "app");
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setMaxParallelSnapshots(2);
    repository.getSpec().setPolicies(List.of(new TargetedPolicySpec("app@cluster:/data", policy)));

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, repository, null);

    assertThat(verdict.message())
        .contains("spec.policies[0].policy.maxParallelSnapshots: applies to host and user targets");
  }

  @Test
  void warnsAboutMissingSecretsButAllows() {
    Repository repository = repository(OPERATOR_NS, "app-repo", "app");
    ServerSpec server = new ServerSpec();
    server.setTlsSecretName("tls");
    server.setAccessSecretNames(List.of("access-a", "access-b"));
    repository.getSpec().setServer(server);
    repository.getSpec().getLocation().setSecretName("not-yet");

    AdmissionVerdict verdict = namespaced.review(OPERATOR_NS, repository, null);

    assertThat(verdict.allowed()).isTrue();
    assertThat(verdict.warnings())
        .containsExactly(
            "Repository kanister/app-repo: spec.location.secretName: Secret kanister/not-yet does"
                + " not exist yet; the Repository will wait until it is created",
            "Repository kanister/app-repo: spec.server.accessSecretNames[1]: Secret"
                + " kanister/access-b does not exist yet; the Repository will wait until it is"
                + " created");
    assertThat(lookedUp)
        .containsExactly(
            "kanister/not-yet", "kanister/tls", "kanister/access-a", "kanister/access-b");
  }

  @Test
  void warnsWhenASecretCannotBeLookedUp() {
    RepositoryAdmission unreachable =
        new RepositoryAdmission(
            RepositoryScope.NAMESPACE,
            OPERATOR_NS,
            (namespace, name) -> {
              throw new IllegalStateException("connection refused");
            });

    AdmissionVerdict verdict =
        unreachable.review(OPERATOR_NS, repository(OPERATOR_NS, "app-repo", "app"), null);

    assertThat(verdict.allowed()).isTrue();
    assertThat(verdict.warnings())
        .containsExactly(
            "Repository kanister/app-repo: spec.location.secretName: could not check whether"
                + " Secret kanister/location exists (IllegalStateException)");
  }

  @Test
  void doesNotLookSecretsUpForADeniedRequest() {
    global.review(OPERATOR_NS, repository(OPERATOR_NS, "second", null), null);

    assertThat(lookedUp).isEmpty();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Repository repository = repository("app", "second", "app");
    repository.getSpec().getLocation().setSecretName("Bad");

    AdmissionVerdict verdict = global.review("app", repository, null);

    assertThat(verdict.message())
        .contains("metadata.namespace: ")
        .contains("; metadata.name: ")
        .contains("; spec.targetNamespace: ")
        .contains("; spec.location.secretName: ");
  }

  @Test
  void readsAnAdmissionRequest() {
    AdmissionRequest create = request("CREATE", repository(OPERATOR_NS, "second", null), null);

    AdmissionVerdict verdict = global.review(create);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message()).startsWith("Repository kanister/second is not allowed");
  }

  @Test
  void readsTheOldObjectOfAnUpdate() {
    AdmissionRequest update =
        request(
            "UPDATE",
            repository(OPERATOR_NS, "app-repo", "other"),
            repository(OPERATOR_NS, "app-repo", "app"));

    assertThat(namespaced.review(update).message()).contains("from 'app' to 'other'");
  }

  @Test
  void letsOtherKindsAndOperationsPass() {
    AdmissionRequest delete = request("DELETE", repository(OPERATOR_NS, "second", null), null);
    AdmissionRequest other =
        new AdmissionRequestBuilder(request("CREATE", repository(OPERATOR_NS, "x", null), null))
            .withKind(new GroupVersionKind("", "ConfigMap", "v1"))
            .build();

    assertThat(global.review(delete).allowed()).isTrue();
    assertThat(global.review(other).allowed()).isTrue();
  }

  private static AdmissionRequest request(String operation, Repository object, Repository old) {
    return new AdmissionRequestBuilder()
        .withUid("uid-1")
        .withKind(new GroupVersionKind(Repository.GROUP, Repository.KIND, Repository.VERSION))
        .withOperation(operation)
        .withNamespace(object.getMetadata().getNamespace())
        .withName(object.getMetadata().getName())
        .withObject(object)
        .withOldObject(old)
        .build();
  }
}
