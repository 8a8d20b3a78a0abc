package io.kanister.kopia.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.command.RepositoryCommands;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.output.SnapshotManifest;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Create, refuse to overwrite, adopt, and refuse a wrong password, on filesystem and S3. */
@RealKopia
@RealS3
class RepositoryLifecycleIT {
  private static final SecretValue WRONG = SecretValue.of("not-the-password-at-all");

  @Test
  void filesystem(KopiaSandbox sandbox) throws Exception {
    exercise(sandbox, RealRepositories.filesystem(sandbox));
  }

  @Test
  void s3(KopiaSandbox sandbox, S3Bucket bucket) throws Exception {
    exercise(sandbox, RealRepositories.s3(bucket, "lifecycle/"));
  }

  private static void exercise(KopiaSandbox sandbox, StorageLocation location) throws Exception {
    Kopia first = RealRepositories.kopia(sandbox, RealRepositories.PASSWORD);
    assertThat(first.ensureRepository(location, RealRepositories.OPERATOR))
        .isEqualTo(EnsureOutcome.CREATED);
    assertThat(first.status().storageType()).contains(location.storageType());
    Path data = sandbox.newDir("data-" + location.provider());
    Files.writeString(data.resolve("hello.txt"), "hello");
    SnapshotManifest snapshot = first.snapshot(data, Map.of("test", "lifecycle"));

    // A second create on the same storage is refused, and the data is still there.
    Kopia second = RealRepositories.kopia(sandbox, RealRepositories.PASSWORD);
    assertThatThrownBy(
            () ->
                second.run(
                    RepositoryCommands.create(
                        location, RealRepositories.PASSWORD, RealRepositories.OPERATOR, true)))
        .isInstanceOfSatisfying(
            KopiaException.class,
            e -> assertThat(e.kind()).isEqualTo(KopiaErrorKind.ALREADY_EXISTS));

    // ensureRepository adopts the existing repository and sees the snapshot.
    assertThat(second.ensureRepository(location, RealRepositories.OPERATOR))
        .isEqualTo(EnsureOutcome.ADOPTED);
    List<SnapshotManifest> listed = second.snapshots(data);
    assertThat(listed).extracting(SnapshotManifest::id).containsExactly(snapshot.id());

    // A wrong password is refused, typed, and the password never shows in the message.
    Kopia intruder = RealRepositories.kopia(sandbox, WRONG);
    assertThatThrownBy(() -> intruder.ensureRepository(location, RealRepositories.OPERATOR))
        .isInstanceOfSatisfying(
            KopiaException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KopiaErrorKind.INVALID_PASSWORD);
              assertThat(e.getMessage())
                  .doesNotContain(WRONG.reveal())
                  .doesNotContain(RealRepositories.PASSWORD.reveal());
              assertThat(e.redactedCommand()).doesNotContain(WRONG.reveal());
            });
    assertThat(second.snapshots(data)).hasSize(1);
  }
}
