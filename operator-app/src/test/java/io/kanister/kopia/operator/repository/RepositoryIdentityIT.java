package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.EnsureOutcome;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Repository identity on the real parts (real kopia, a filesystem repository, a real API server):
 * the identity is recorded, emptied or replaced storage is refused with nothing written and the
 * server untouched, a new repository is accepted only through the annotation naming the old
 * identity, and two Repositories on one storage leave it to the older.
 */
@RealKopia
@RealKubernetes
class RepositoryIdentityIT {
  private static final String NAME = "repository-app";

  @Test
  void identityIsPinnedUntilANewRepositoryIsAccepted(KopiaSandbox sandbox, TestNamespace ns)
      throws Exception {
    KubernetesClient client = ns.client();
    Path storage = sandbox.newDir("repository");
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(client, ns.name(), sandbox.binary(), sandbox.root())) {
      operator.filesystemLocation("app-location", storage);
      operator.create("app", "app-location", null);

      // Created: the identity is recorded, and it is the repository's own.
      List<String> first = operator.pass(NAME);
      System.out.printf(
          "[figures] first pass (create): %d kopia invocations %s%n", first.size(), first);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("True/Created");
      String recorded = operator.get(NAME).getStatus().getRepository().getUniqueId();
      assertThat(recorded).isEqualTo(uniqueIdOf(sandbox, storage, "reader"));
      assertThat(operator.get(NAME).getStatus().getRepository().getRecordedAt()).isNotBlank();
      assertThat(operator.get(NAME).getStatus().getRepository().getStorage())
          .isEqualTo("filesystem:" + storage);
      Deployment server = deployment(client, ns.name());
      assertThat(server).isNotNull();

      // Emptied storage: refused with its own reason, nothing written, server untouched.
      emptyDirectory(storage);
      List<String> refused = operator.pass(NAME);
      System.out.printf(
          "[figures] pass on emptied storage: %d kopia invocations %s%n", refused.size(), refused);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("False/RepositoryMissing");
      assertThat(operator.message(NAME, "RepositoryReady"))
          .contains(recorded)
          .contains("restore the storage")
          .contains(RepositoryPin.ACCEPT_ANNOTATION + "=" + recorded)
          .doesNotContain(RealKopiaReconciler.PASSWORD);
      assertThat(operator.condition(NAME, "ServerReady")).isEqualTo("False/RepositoryMissing");
      assertThat(operator.events(NAME, "RepositoryMissing"))
          .singleElement()
          .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
      assertThat(refused).doesNotContain("repository create", "policy set", "policy delete");
      // A second pass (a resync) still refuses and still writes nothing.
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("False/RepositoryMissing");
      // Kopia's filesystem provider drops a 43-byte .shards marker on any open, even a failed
      // connect; no repository blob is written.
      assertThat(files(storage)).allMatch(f -> f.equals(".shards"));
      assertUnchanged(server, deployment(client, ns.name()));
      assertThat(operator.get(NAME).getStatus().getRepository().getUniqueId()).isEqualTo(recorded);

      // An annotation naming some other identity accepts nothing.
      operator.edit(NAME, r -> annotate(r, "0123abcd"));
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("False/RepositoryMissing");
      assertThat(files(storage)).allMatch(f -> f.equals(".shards"));

      // Accepting a new repository, by naming the identity it replaces.
      operator.edit(NAME, r -> annotate(r, recorded));
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("True/Created");
      String accepted = operator.get(NAME).getStatus().getRepository().getUniqueId();
      assertThat(accepted).isNotEqualTo(recorded).isEqualTo(uniqueIdOf(sandbox, storage, "r2"));

      // The annotation is spent: emptying the storage again is refused again.
      emptyDirectory(storage);
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("False/RepositoryMissing");
      assertThat(operator.message(NAME, "RepositoryReady")).contains(accepted);
      assertThat(files(storage)).allMatch(f -> f.equals(".shards"));

      // The location Secret edited to storage holding another repository (same password).
      Path other = sandbox.newDir("other-repository");
      String otherId = createRepository(sandbox, other);
      List<String> before = files(other);
      operator.filesystemLocation("app-location", other);
      List<String> changed = operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady"))
          .isEqualTo("False/RepositoryIdentityChanged");
      assertThat(operator.message(NAME, "RepositoryReady")).contains(otherId).contains(accepted);
      assertThat(changed).doesNotContain("repository create", "policy set", "policy delete");
      assertThat(files(other)).isEqualTo(before);
      assertUnchanged(server, deployment(client, ns.name()));
    }
  }

  @Test
  void aSecondRepositoryOnTheSameStorageWritesNothing(KopiaSandbox sandbox, TestNamespace ns)
      throws Exception {
    KubernetesClient client = ns.client();
    Path storage = sandbox.newDir("shared");
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(client, ns.name(), sandbox.binary(), sandbox.root())) {
      operator.filesystemLocation("app-location", storage);
      // The same directory, spelled differently, in a second Secret.
      operator.filesystemLocation("other-location", Path.of(storage + "/"));
      operator.create("app", "app-location", null);
      Thread.sleep(1100); // creationTimestamp has one-second resolution
      operator.create("other", "other-location", null);

      List<String> newer = operator.pass("repository-other");
      assertThat(operator.condition("repository-other", "RepositoryReady"))
          .isEqualTo("False/StorageInUse");
      assertThat(operator.message("repository-other", "RepositoryReady"))
          .contains("Repository " + ns.name() + "/" + NAME);
      assertThat(newer).isEmpty();
      assertThat(files(storage)).isEmpty();
      assertThat(client.apps().deployments().inNamespace(ns.name()).withName("repo-other").get())
          .isNull();
      // Not even the generated admin Secret is written for it.
      assertThat(client.secrets().inNamespace(ns.name()).withName("repo-other-admin").get())
          .isNull();

      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("True/Created");
      operator.pass("repository-other");
      assertThat(operator.condition("repository-other", "RepositoryReady"))
          .isEqualTo("False/StorageInUse");
      assertThat(operator.events("repository-other", "StorageInUse")).isNotEmpty();
    }
  }

  @Test
  @RealS3
  void anEmptiedBucketIsRefusedAndStaysEmpty(
      TestNamespace ns, S3Bucket bucket, KopiaSandbox sandbox) throws Exception {
    KubernetesClient client = ns.client();
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(client, ns.name(), sandbox.binary(), sandbox.root())) {
      operator.s3Location("app-location", bucket, "repo/");
      operator.create("app", "app-location", null);
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("True/Created");
      String recorded = operator.get(NAME).getStatus().getRepository().getUniqueId();
      assertThat(operator.get(NAME).getStatus().getRepository().getStorage())
          .isEqualTo("s3://" + bucket.bucket() + "/repo/");
      int objects = S3Objects.list(bucket).size();
      Deployment server = deployment(client, ns.name());

      S3Objects.deleteAll(bucket);
      List<String> refused = operator.pass(NAME);
      operator.pass(NAME);
      System.out.printf(
          "[figures] S3: %d objects deleted; pass on the emptied bucket ran %s; objects after two"
              + " passes: %d%n",
          objects, refused, S3Objects.list(bucket).size());
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("False/RepositoryMissing");
      assertThat(operator.message(NAME, "RepositoryReady"))
          .contains(recorded)
          .doesNotContain(bucket.secretKey())
          .doesNotContain(bucket.accessKey());
      assertThat(S3Objects.list(bucket)).isEmpty();
      assertUnchanged(server, deployment(client, ns.name()));

      // An edited prefix is refused the same way and writes nothing there either.
      operator.edit(NAME, r -> annotate(r, "not-the-recorded-one"));
      operator.s3Location("app-location", bucket, "elsewhere/");
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("False/RepositoryMissing");
      assertThat(S3Objects.list(bucket)).isEmpty();
    }
  }

  @Test
  void aRepositoryServedBeforeIdentitiesWereRecordedIsNeverCreatedAgain(
      KopiaSandbox sandbox, TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    Path storage = sandbox.newDir("upgraded");
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(client, ns.name(), sandbox.binary(), sandbox.root())) {
      operator.filesystemLocation("app-location", storage);
      operator.create("app", "app-location", null);
      operator.pass(NAME);
      // As an older operator left it: served, no identity recorded; and the storage emptied.
      Repository served = operator.get(NAME);
      served.getStatus().setRepository(null);
      operator.writeStatus(served);
      emptyDirectory(storage);

      List<String> refused = operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("False/RepositoryMissing");
      assertThat(operator.message(NAME, "RepositoryReady"))
          .contains("from before identities were recorded")
          .contains(RepositoryPin.ACCEPT_ANNOTATION + "=" + RepositoryPin.UNRECORDED);
      assertThat(refused).doesNotContain("repository create");
      assertThat(files(storage)).allMatch(f -> f.equals(".shards"));

      operator.edit(NAME, r -> annotate(r, RepositoryPin.UNRECORDED));
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("True/Created");
      assertThat(operator.get(NAME).getStatus().getRepository().getUniqueId())
          .isEqualTo(uniqueIdOf(sandbox, storage, "upgraded-reader"));
    }
  }

  private static Repository annotate(Repository repository, String value) {
    repository.getMetadata().setAnnotations(Map.of(RepositoryPin.ACCEPT_ANNOTATION, value));
    return repository;
  }

  private static Deployment deployment(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).withName("repo-app").get();
  }

  private static void assertUnchanged(Deployment before, Deployment after) {
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  private static String uniqueIdOf(KopiaSandbox sandbox, Path storage, String name) {
    Kopia kopia = client(sandbox, name);
    assertThat(kopia.ensureRepository(FilesystemLocation.of(storage.toString()), identity(name)))
        .isEqualTo(EnsureOutcome.ADOPTED);
    return kopia.status().uniqueIdHex().orElseThrow();
  }

  private static String createRepository(KopiaSandbox sandbox, Path storage) {
    Kopia kopia = client(sandbox, "creator");
    assertThat(kopia.ensureRepository(FilesystemLocation.of(storage.toString()), identity("c")))
        .isEqualTo(EnsureOutcome.CREATED);
    return kopia.status().uniqueIdHex().orElseThrow();
  }

  static Kopia client(KopiaSandbox sandbox, String name) {
    return Kopia.open(
        new ProcessKopiaRunner(sandbox.binary()),
        KopiaWorkspace.create(sandbox.root().resolve("clients"), name),
        SecretValue.of(RealKopiaReconciler.PASSWORD));
  }

  private static ClientIdentity identity(String name) {
    return new ClientIdentity("it", name);
  }

  static List<String> files(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> directory.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private static void emptyDirectory(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(directory)) {
          Files.delete(p);
        }
      }
    }
  }
}
