package io.kanister.kopia.e2e;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.ServerCredentials;
import io.kanister.kopia.core.command.ServerStartSpec;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The one real Kopia server of the scale benchmark, with the Secrets every Repository shares. */
final class SampleServer implements AutoCloseable {
  private final BackgroundProcess process;
  private final String address;

  private SampleServer(BackgroundProcess process, String address) {
    this.process = process;
    this.address = address;
  }

  static SampleServer start(Path kopia, Path root, Path repository, TestPki.Issued tls)
      throws Exception {
    KopiaWorkspace workspace = KopiaWorkspace.create(root.resolve("bench"), "server");
    SecretValue password = SecretValue.of(RepositoryFixtures.REPO_PASSWORD);
    Kopia.open(new ProcessKopiaRunner(kopia), workspace, password)
        .connectRepository(
            FilesystemLocation.of(repository.toString()), new ClientIdentity("server", "scale"));
    Path cert = root.resolve("bench/tls.crt");
    Path key = root.resolve("bench/tls.key");
    Files.writeString(cert, tls.certPem());
    Files.writeString(key, tls.keyPem());
    String address = "127.0.0.1:" + BackgroundProcess.freePort();
    var command =
        ServerStartSpec.builder()
            .address(address)
            .configFile(workspace.configFile().toString())
            .tlsCertFile(cert.toString())
            .tlsKeyFile(key.toString())
            .cacheDirectory(Files.createDirectories(root.resolve("bench/server-cache")).toString())
            .build()
            .toCommand(
                password,
                new ServerCredentials(
                    "admin",
                    SecretValue.of(RepositoryFixtures.UI_PASSWORD),
                    ServerCredentials.DEFAULT_CONTROL_USERNAME,
                    SecretValue.of(RepositoryFixtures.CONTROL_PASSWORD)));
    List<String> argv = new ArrayList<>();
    argv.add(kopia.toString());
    argv.addAll(command.args());
    Map<String, String> env = new HashMap<>(workspace.environment());
    env.putAll(command.environment());
    env.putAll(command.secretEnvironment());
    BackgroundProcess process =
        BackgroundProcess.start(argv, env, root.resolve("bench/server.log"));
    process.awaitLogLine("SERVER ADDRESS:", Duration.ofSeconds(60));
    return new SampleServer(process, address);
  }

  String address() {
    return address;
  }

  @Override
  public void close() {
    process.close();
  }
}
