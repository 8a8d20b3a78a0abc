package io.kanister.kopia.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.config.ClientOptions;
import io.kanister.kopia.core.config.DirectConnection;
import io.kanister.kopia.core.config.RepositoryConfig;
import io.kanister.kopia.core.config.RepositoryConfigFile;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.storage.StorageLocation;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import org.junit.jupiter.api.Test;

/** A {@code repo.config} written by Java opens the real repository, without any connect. */
@RealKopia
@RealS3
class GeneratedConfigIT {

  @Test
  void directFilesystemConfigOpensTheRepository(KopiaSandbox sandbox) {
    opens(sandbox, RealRepositories.filesystem(sandbox));
  }

  @Test
  void directS3ConfigOpensTheRepository(KopiaSandbox sandbox, S3Bucket bucket) {
    opens(sandbox, RealRepositories.s3(bucket, "generated/"));
  }

  private static void opens(KopiaSandbox sandbox, StorageLocation location) {
    Kopia creator = RealRepositories.created(sandbox, location);
    String uniqueId = creator.status().uniqueIdHex().orElseThrow();

    KopiaWorkspace workspace =
        KopiaWorkspace.create(sandbox.root().resolve("generated"), location.provider());
    RepositoryConfigFile.write(
        RepositoryConfig.builder()
            .connection(new DirectConnection(location))
            .clientOptions(ClientOptions.of("server", "repo-monitoring"))
            .build(),
        workspace.configFile());
    Kopia generated =
        Kopia.open(new ProcessKopiaRunner(sandbox.binary()), workspace, RealRepositories.PASSWORD);

    var status = generated.status();
    assertThat(status.uniqueIdHex()).contains(uniqueId);
    assertThat(status.clientOptions().username()).contains("repo-monitoring");
    assertThat(status.clientOptions().hostname()).contains("server");
  }
}
