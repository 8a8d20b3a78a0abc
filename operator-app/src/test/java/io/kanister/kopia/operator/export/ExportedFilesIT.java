package io.kanister.kopia.operator.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.output.SnapshotManifest;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.operator.users.RealKopiaServer;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exported repo.config and password, as written, connect the real kopia to a real server. */
@RealKopia
class ExportedFilesIT {
  private static final KopiaUsername USER = KopiaUsername.of("mysql@monitoring.mysql-blue");
  private static final SecretValue PASSWORD = SecretValue.of("exported-password-42");

  @Test
  void exportedFilesConnectSnapshotAndRestore(KopiaSandbox sandbox) throws Exception {
    try (RealKopiaServer real = RealKopiaServer.started(sandbox)) {
      real.operator().addUser(USER, UserPasswordHash.create(PASSWORD));
      real.refresher().refresh();

      Path container = sandbox.newDir("container-root");
      LocalFolderFileWriter writer = new LocalFolderFileWriter(container);
      ClientFiles files = new ClientFiles("/var/run/kopia");
      new ClientExporter(writer)
          .export(
              new ClientConnection(real.url(), real.fingerprint(), USER),
              PASSWORD,
              new PodTarget("monitoring", "mysql-0", "mover"),
              files);

      Path config = writer.local(files.configFile());
      Path passwordFile = writer.local(files.passwordFile());
      assertThat(Files.readString(passwordFile)).isEqualTo(PASSWORD.reveal());
      assertThat(Files.readString(config))
          .contains(real.url())
          .contains(real.fingerprint().hex())
          .contains("\"username\": \"mysql\"")
          .contains("\"hostname\": \"monitoring.mysql-blue\"")
          .doesNotContain(PASSWORD.reveal());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
          .isEqualTo("rw-------");

      // What a data mover does with the files: KOPIA_CONFIG_PATH=config, KOPIA_PASSWORD=file.
      Kopia client =
          Kopia.open(
              real.runner(),
              new KopiaWorkspace(config.getParent()),
              SecretValue.of(Files.readString(passwordFile)));
      Path data = sandbox.newDir("mysql-data");
      Files.writeString(data.resolve("dump.sql"), "CREATE TABLE t (id int);");
      SnapshotManifest snapshot = client.snapshot(data, Map.of());
      assertThat(snapshot.source().userName()).isEqualTo("mysql");
      assertThat(snapshot.source().host()).isEqualTo("monitoring.mysql-blue");
      assertThat(client.snapshots(data))
          .extracting(SnapshotManifest::id)
          .containsExactly(snapshot.id());
      Path restored = sandbox.newDir("restored").resolve("out");
      client.restore(snapshot.id(), restored);
      assertThat(Files.readAllBytes(restored.resolve("dump.sql")))
          .isEqualTo(Files.readAllBytes(data.resolve("dump.sql")));
    }
  }
}
