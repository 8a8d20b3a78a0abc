package io.kanister.kopia.model.examples;

import static io.kanister.kopia.model.examples.Examples.GLOBAL_MODE;
import static io.kanister.kopia.model.examples.Examples.NAMESPACE_MODE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.policy.RepositoryPolicyMapper;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.secret.AccessSecretParser;
import io.kanister.kopia.model.secret.AccessUser;
import io.kanister.kopia.model.secret.AdminSecretParser;
import io.kanister.kopia.model.secret.LocationSecretParser;
import io.kanister.kopia.model.secret.SecretData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documented examples hold what the parsers accept; neither needs a certificate made by hand.
 */
class ExamplesTest {
  @Test
  void namespaceModeExampleParses() {
    Repository repository = Examples.repository(NAMESPACE_MODE);
    var spec = repository.getSpec();
    assertThat(spec.getTargetNamespace()).isEqualTo("monitoring");
    assertThat(repository.getMetadata().getLabels())
        .containsEntry(RepositoryLabels.TARGET_NAMESPACE, "monitoring");
    assertThat(RepositoryPolicyMapper.policies(spec.getPolicy(), spec.getPolicies()).value())
        .containsKeys(
            PolicyTarget.global(),
            PolicyTarget.user("mysql", "monitoring.mysql-blue"),
            PolicyTarget.path("mysql", "monitoring.mysql-blue", "/var/lib/mysql"));

    var location =
        LocationSecretParser.parse(secret(NAMESPACE_MODE, spec.getLocation().getSecretName()));
    assertThat(location.value().storage()).isInstanceOf(S3Location.class);
    assertThat(
            AdminSecretParser.parse(secret(NAMESPACE_MODE, spec.getServer().getAdminSecretName()))
                .value()
                .username())
        .isEqualTo("admin");
    assertThat(
            AccessSecretParser.parse(
                    secret(NAMESPACE_MODE, spec.getServer().getAccessSecretNames().get(0)))
                .value())
        .extracting(user -> user.kopiaUsername(spec.getTargetNamespace()))
        .containsExactly(
            KopiaUsername.of("mysql@monitoring.mysql-blue"),
            KopiaUsername.of("mysql@monitoring.mysql-green"),
            KopiaUsername.of("pgsql@monitoring.pgsql-blue"));
    assertThat(spec.getServer().getTlsSecretName())
        .as("the operator issues the server's certificate")
        .isNull();
  }

  @Test
  void globalModeExampleParses() {
    var spec = Examples.repository(GLOBAL_MODE).getSpec();
    assertThat(spec.getTargetNamespace()).isNull();
    assertThat(
            LocationSecretParser.parse(
                    secret(GLOBAL_MODE, spec.getLocation().getSecretName()),
                    LocationSecretParser.DEFAULT_GCS_CREDENTIALS_FILE,
                    // The operator's default --filesystem-roots: the example must work as it is.
                    FilesystemRoots.of(List.of("/repositories")))
                .value()
                .storage())
        .isEqualTo(FilesystemLocation.of("/repositories/global"));
    var admin =
        AdminSecretParser.parse(secret(GLOBAL_MODE, spec.getServer().getAdminSecretName())).value();
    assertThat(admin.username()).isEqualTo(AdminSecretParser.DEFAULT_USERNAME);
    assertThat(admin.controlUsername()).isEqualTo(AdminSecretParser.DEFAULT_CONTROL_USERNAME);
    assertThat(
            AccessSecretParser.parse(
                    secret(GLOBAL_MODE, spec.getServer().getAccessSecretNames().get(0)))
                .value())
        .extracting(AccessUser::workload)
        .containsExactly("kanister");
    assertThat(RepositoryPolicyMapper.policies(spec.getPolicy(), spec.getPolicies()).isValid())
        .isTrue();
    assertThat(spec.getServer().getTlsSecretName()).isNull();
    assertThat(Examples.objects(GLOBAL_MODE))
        .noneMatch(
            o ->
                "kubernetes.io/tls"
                    .equals(String.valueOf(o.getAdditionalProperties().get("type"))));
  }

  private static SecretData secret(String file, String name) {
    return SecretData.of(Examples.secret(file, name));
  }
}
