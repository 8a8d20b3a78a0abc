package io.kanister.kopia.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.command.MaintenanceCommands;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.output.ManifestEntry;
import io.kanister.kopia.core.output.ManifestList;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.policy.RetentionPolicy;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code manifest list --json} of the real kopia, parsed: policies, users and the maintenance
 * parameters are labelled manifests, and every change by any client gives its type a new digest,
 * while a change of another type leaves it as it was. On emptied storage the listing fails, as
 * {@code policy list} does, when the format blob is not cached.
 */
@RealKopia
class ManifestListIT {
  private static final KopiaUsername BOB = KopiaUsername.of("bob@db.mysql");

  @Test
  void everyChangeOfATypeChangesItsDigestAndOnlyItsDigest(KopiaSandbox sandbox) throws Exception {
    Path storage = sandbox.newDir("manifests");
    Kopia kopia = RealRepositories.kopia(sandbox, RealRepositories.PASSWORD).freshFormatBlob();
    kopia.ensureRepository(FilesystemLocation.of(storage.toString()), RealRepositories.OPERATOR);

    ManifestList fresh = kopia.manifests();
    assertThat(fresh.ofType(ManifestList.POLICY))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.labels()).containsEntry("policyType", "global");
              assertThat(e.id()).matches("[0-9a-f]{32}");
              assertThat(e.length()).isPositive();
            });
    assertThat(fresh.ofType(ManifestList.MAINTENANCE)).hasSize(1);
    assertThat(fresh.ofType(ManifestList.USER)).isEmpty();
    assertThat(kopia.manifests().digest(ManifestList.POLICY))
        .as("a listing with nothing written in between")
        .isEqualTo(fresh.digest(ManifestList.POLICY));

    kopia.addUser(BOB, UserPasswordHash.create(SecretValue.of("bob-password-1")));
    ManifestList withUser = kopia.manifests();
    assertThat(withUser.ofType(ManifestList.USER))
        .extracting(ManifestEntry::labels)
        .containsExactly(java.util.Map.of("type", "user", "username", BOB.value()));
    assertThat(withUser.digest(ManifestList.USER)).isNotEqualTo(fresh.digest(ManifestList.USER));
    assertThat(withUser.digest(ManifestList.POLICY)).isEqualTo(fresh.digest(ManifestList.POLICY));

    kopia.setUser(BOB, UserPasswordHash.create(SecretValue.of("bob-password-2")));
    ManifestList newPassword = kopia.manifests();
    assertThat(newPassword.digest(ManifestList.USER))
        .as("a new password is a new user manifest")
        .isNotEqualTo(withUser.digest(ManifestList.USER));

    kopia.applyPolicy(
        PolicyTarget.global(),
        Policy.builder().retention(RetentionPolicy.builder().keepLatest(7).build()).build());
    ManifestList newPolicy = kopia.manifests();
    assertThat(newPolicy.digest(ManifestList.POLICY))
        .isNotEqualTo(newPassword.digest(ManifestList.POLICY));
    assertThat(newPolicy.digest(ManifestList.USER))
        .isEqualTo(newPassword.digest(ManifestList.USER));

    kopia.run(
        MaintenanceCommands.set(
            Optional.empty(), Optional.of(Duration.ofHours(2)), Optional.empty()));
    ManifestList newMaintenance = kopia.manifests();
    assertThat(newMaintenance.digest(ManifestList.MAINTENANCE))
        .isNotEqualTo(newPolicy.digest(ManifestList.MAINTENANCE));
    assertThat(newMaintenance.digest(ManifestList.POLICY))
        .isEqualTo(newPolicy.digest(ManifestList.POLICY));

    kopia.deleteUser(BOB);
    assertThat(kopia.manifests().ofType(ManifestList.USER)).isEmpty();

    // Emptied storage: the listing fails, like every command that opens the repository.
    Path moved = storage.resolveSibling("manifests-moved");
    Files.move(storage, moved);
    Files.createDirectories(storage);
    assertThatThrownBy(kopia::manifests)
        .isInstanceOf(KopiaException.class)
        .hasMessageContaining("BLOB not found");
  }
}
