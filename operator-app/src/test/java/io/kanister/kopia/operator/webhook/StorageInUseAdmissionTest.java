package io.kanister.kopia.operator.webhook;

import static io.kanister.kopia.operator.Repositories.repository;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.storage.FilesystemRoots;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.secret.SecretData;
import io.kanister.kopia.model.secret.SecretRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one-Repository-per-storage rule as the webhook applies it to CREATE and UPDATE. */
class StorageInUseAdmissionTest {
  private static final String NS = "kanister";
  private static final Map<String, String> PATHS =
      Map.of("location", "/repositories/shared", "same", "/repositories/./shared/", "other", "/x");

  private final SecretLookup secrets =
      new SecretLookup() {
        @Override
        public boolean exists(String namespace, String name) {
          return PATHS.containsKey(name);
        }

        @Override
        public Optional<SecretData> data(String namespace, String name) {
          return Optional.ofNullable(PATHS.get(name))
              .map(
                  path ->
                      SecretData.of(
                          new SecretRef(namespace, name),
                          "Opaque",
                          Map.of(
                              "type", bytes("filesystem"),
                              "path", bytes(path),
                              "repo-password", bytes("pw-123456"))));
        }
      };

  private final Repository older =
      stored("repository-one", "one", "location", "2026-01-01T00:00:00Z");
  private final RepositoryAdmission admission =
      new RepositoryAdmission(
          RepositoryScope.NAMESPACE, NS, secrets, FilesystemRoots.anywhere(), ns -> List.of(older));

  @Test
  void createOnTheSameStorageIsDeniedNamingTheOlderRepository() {
    Repository newer = repository(NS, "repository-two", "two");
    newer.getSpec().getLocation().setSecretName("same");

    AdmissionVerdict verdict = admission.review(NS, newer, null);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.message())
        .contains(
            "spec.location.secretName: Repository kanister/repository-one already uses this"
                + " storage (filesystem:/repositories/shared)")
        .doesNotContain("pw-123456");
  }

  @Test
  void createOnOtherStorageIsAllowed() {
    Repository newer = repository(NS, "repository-two", "two");
    newer.getSpec().getLocation().setSecretName("other");

    assertThat(admission.review(NS, newer, null).allowed()).isTrue();
  }

  @Test
  void aMetadataEditOfAConflictingRepositoryIsAllowedAndALocationChangeIsNot() {
    // Created while the webhook was off; the reconciler reports it as StorageInUse, and must still
    // be able to add its finalizer.
    Repository newer = stored("repository-two", "two", "same", "2026-02-01T00:00:00Z");
    Repository edited = stored("repository-two", "two", "same", "2026-02-01T00:00:00Z");
    edited.getMetadata().setFinalizers(List.of("repo.kanister.io/server-cleanup"));
    assertThat(admission.review(NS, edited, newer).allowed()).isTrue();

    Repository moved = stored("repository-three", "three", "other", "2026-02-01T00:00:00Z");
    Repository movedBack = stored("repository-three", "three", "location", "2026-02-01T00:00:00Z");
    assertThat(admission.review(NS, movedBack, moved).allowed()).isFalse();
  }

  @Test
  void theOlderRepositoryItselfIsNeverDenied() {
    Repository edited = stored("repository-one", "one", "same", "2026-01-01T00:00:00Z");
    assertThat(admission.review(NS, edited, older).allowed()).isTrue();
  }

  private static Repository stored(String name, String target, String secret, String created) {
    Repository repository = repository(NS, name, target);
    repository.getSpec().getLocation().setSecretName(secret);
    repository.getMetadata().setCreationTimestamp(created);
    repository.getMetadata().setUid(name + "-uid");
    return repository;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
