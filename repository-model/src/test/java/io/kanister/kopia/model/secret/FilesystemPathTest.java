package io.kanister.kopia.model.secret;

import static io.kanister.kopia.model.secret.SecretFixtures.data;
import static io.kanister.kopia.model.secret.SecretFixtures.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.validation.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Filesystem locations: only under the configured roots, normalized, never with '..'. */
class FilesystemPathTest {
  private static final FilesystemRoots ROOTS =
      FilesystemRoots.of(List.of("/repositories/", "/mnt/backups"));

  private static List<Problem> refused(String path, FilesystemRoots roots) {
    // Upper case: the fixture refuses messages holding any value, and "filesystem" is also a word
    // of these messages (--filesystem-roots).
    SecretData secret = data("type", "FILESYSTEM", "repo-password", "pw-123456", "path", path);
    return problemsOf(LocationSecretParser.parse(secret, "/gcs.json", roots), secret);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/tmp/../../etc",
        "/repositories/../etc",
        "/repositories/a/../b",
        "/repositories/..",
        "/repositories/a/.."
      })
  void dotDotIsRefusedEvenWhereItWouldStayInsideARoot(String path) {
    assertThat(refused(path, ROOTS))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.where()).isEqualTo(SecretFixtures.REF.key("path"));
              assertThat(p.message())
                  .contains("must not contain '..'")
                  .contains("/repositories, /mnt/backups");
            });
    assertThat(refused(path, FilesystemRoots.anywhere())).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/etc", "/", "/repositoriesX/a", "/mnt", "/tmp/repo", "//etc", "/./etc/./"})
  void aPathOutsideEveryRootIsRefusedNamingTheRoots(String path) {
    assertThat(refused(path, ROOTS))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("is outside the directories the operator may use")
                    .contains("(/repositories, /mnt/backups)")
                    .contains("--filesystem-roots"));
  }

  @Test
  void anAllowedPathIsNormalizedBeforeUse() {
    SecretData secret =
        data("type", "filesystem", "repo-password", "pw-123456", "path", "//repositories/./a//b/");
    var parsed = LocationSecretParser.parse(secret, "/gcs.json", ROOTS);

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.value().storage()).isEqualTo(FilesystemLocation.of("/repositories/a/b"));
    assertThat(
            LocationSecretParser.parse(
                    data("type", "filesystem", "repo-password", "p", "path", "/mnt/backups"),
                    "/gcs.json",
                    ROOTS)
                .problems())
        .isEmpty();
  }

  @Test
  void rootsThemselvesMustBeAbsoluteWithoutDotDot() {
    assertThatThrownBy(() -> FilesystemRoots.of(List.of("repositories")))
        .hasMessageContaining("'repositories' must be an absolute path");
    assertThatThrownBy(() -> FilesystemRoots.of(List.of("/a/../etc")))
        .hasMessageContaining("must not contain '..'");
    assertThatThrownBy(() -> FilesystemRoots.of(List.of())).hasMessageContaining("at least one");
    assertThat(FilesystemRoots.of(List.of("/a//b/")).roots()).containsExactly("/a/b");
  }
}
