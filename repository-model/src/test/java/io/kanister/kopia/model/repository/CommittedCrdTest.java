package io.kanister.kopia.model.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** deploy/crd holds exactly what the build generates from the Java types. */
class CommittedCrdTest {
  static final Path COMMITTED =
      Path.of("..", "deploy", "crd", Repository.CRD_NAME + "-v1.yml").toAbsolutePath().normalize();

  @Test
  void committedCrdEqualsTheGeneratedOne() throws Exception {
    assertThat(COMMITTED)
        .withFailMessage("%s is missing; create it with:%n  %s", COMMITTED, RefreshCommand.TEXT)
        .exists();
    String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
    assertThat(committed)
        .withFailMessage(
            "%s differs from the CRD generated from the Repository classes; refresh it with:%n"
                + "  %s%nand commit it.",
            COMMITTED, RefreshCommand.TEXT)
        .isEqualTo(RepositoryCrd.yaml());
  }

  @Test
  void generatedCrdDescribesTheRepositoryKind() {
    var crd = RepositoryCrd.load();
    assertThat(crd.getMetadata().getName()).isEqualTo("repositories.cr.kanister.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("krepo", "repo");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("kanister");
    var version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrder("Target", "Ready", "Server", "Users", "Age");
  }

  private static final class RefreshCommand {
    static final String TEXT =
        "./mvnw -B -pl repository-model -am install -DskipTests && cp"
            + " repository-model/target/classes/"
            + RepositoryCrd.RESOURCE
            + " deploy/crd/";
  }
}
