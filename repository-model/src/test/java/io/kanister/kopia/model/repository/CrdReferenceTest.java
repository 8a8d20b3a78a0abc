package io.kanister.kopia.model.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/crd-reference.md is the reference generated from the CRD the build makes. */
class CrdReferenceTest {
  private static final Path COMMITTED =
      Path.of("..", "docs", "crd-reference.md").toAbsolutePath().normalize();
  private static final Path GENERATED =
      Path.of("target", "crd-reference.md").toAbsolutePath().normalize();

  @Test
  void committedReferenceEqualsTheGeneratedOne() throws Exception {
    String generated = CrdReference.markdown(RepositoryCrd.load());
    Files.writeString(GENERATED, generated, StandardCharsets.UTF_8);
    assertThat(generated).contains("`spec.location.secretName`", "`status.conditions[].reason`");
    assertThat(COMMITTED).exists();
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .withFailMessage(
            "docs/crd-reference.md differs from the reference generated from the CRD; refresh it"
                + " with:%n  cp %s docs/%nand commit it.",
            Path.of("repository-model", "target", "crd-reference.md"))
        .isEqualTo(generated);
  }
}
