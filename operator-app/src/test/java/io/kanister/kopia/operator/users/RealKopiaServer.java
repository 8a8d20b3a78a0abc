package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.ServerCredentials;
import io.kanister.kopia.core.command.ServerStartSpec;
import io.kanister.kopia.core.exec.KopiaWorkspace;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.operator.users.UsersConverger.KopiaServerRefresher;
import io.kanister.kopia.operator.users.UsersConverger.ServerRefresher;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A filesystem repository created with the real kopia, the operator's direct connection to it
 * (through a {@link CountingRunner}), and optionally a real {@code kopia server} on TLS.
 */
public final class RealKopiaServer implements AutoCloseable {
  public static final SecretValue REPOSITORY_PASSWORD =
      SecretValue.of("correct-horse-battery-staple");
  static final ServerCredentials CREDENTIALS =
      new ServerCredentials(
          "admin",
          SecretValue.of("ui-password-123456"),
          "control",
          SecretValue.of("control-password-789"));
  private static final AtomicInteger WORKSPACES = new AtomicInteger();

  private final KopiaSandbox sandbox;
  private final ProcessKopiaRunner runner;
  private final CountingRunner counting;
  private final Kopia operator;
  private BackgroundProcess server;
  private String url;
  private CertificateFingerprint fingerprint;
  private final AtomicInteger refreshes = new AtomicInteger();
  private final Path repositoryPath;
  // Each server's own folders: a cache holding another repository's content does not decrypt.
  private final String folders;

  private RealKopiaServer(KopiaSandbox sandbox) {
    this(sandbox, "repo");
  }

  private RealKopiaServer(KopiaSandbox sandbox, String directory) {
    this.sandbox = sandbox;
    this.runner = new ProcessKopiaRunner(sandbox.binary());
    this.counting = new CountingRunner(runner);
    this.operator = Kopia.open(counting, workspace("operator"), REPOSITORY_PASSWORD);
    this.repositoryPath = sandbox.newDir(directory);
    this.folders = directory.equals("repo") ? "" : "-" + directory;
    operator.ensureRepository(
        FilesystemLocation.of(repositoryPath.toString()),
        new ClientIdentity("operator", "kanister"));
  }

  /** A new repository, without a server. */
  public static RealKopiaServer repositoryOnly(KopiaSandbox sandbox) {
    return new RealKopiaServer(sandbox);
  }

  /** A new repository served by a real {@code kopia server start}. */
  public static RealKopiaServer started(KopiaSandbox sandbox) {
    return started(
        sandbox,
        TestPki.newCa("kopia-test-ca")
            .issueServer("repo-server", List.of("localhost"), List.of("127.0.0.1")));
  }

  /** Served with this certificate (e.g. one a test also puts in a TLS Secret). */
  public static RealKopiaServer started(KopiaSandbox sandbox, TestPki.Issued tls) {
    RealKopiaServer real = new RealKopiaServer(sandbox);
    real.start(tls);
    return real;
  }

  /**
   * As above, with the repository in the sandbox's folder {@code directory}: for a test that needs
   * several repositories (the sandbox's folder names are fixed).
   */
  public static RealKopiaServer started(
      KopiaSandbox sandbox, TestPki.Issued tls, String directory) {
    RealKopiaServer real = new RealKopiaServer(sandbox, directory);
    real.start(tls);
    return real;
  }

  /** The filesystem repository's directory. */
  public Path repositoryPath() {
    return repositoryPath;
  }

  /** The admin and control users the server was started with. */
  public static ServerCredentials credentials() {
    return CREDENTIALS;
  }

  private void start(TestPki.Issued tls) {
    Path certFile = sandbox.newDir("tls" + folders).resolve("tls.crt");
    Path keyFile = certFile.resolveSibling("tls.key");
    try {
      Files.writeString(certFile, tls.certPem());
      Files.writeString(keyFile, tls.keyPem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    fingerprint = CertificateFingerprint.of(tls.certPem());
    int port = BackgroundProcess.freePort();
    url = "https://127.0.0.1:" + port;
    Path cache = sandbox.newDir("server-cache" + folders);
    ServerStartSpec spec =
        ServerStartSpec.builder()
            .address("127.0.0.1:" + port)
            .configFile(operator.workspace().configFile().toString())
            .tlsCertFile(certFile.toString())
            .tlsKeyFile(keyFile.toString())
            .cacheDirectory(cache.toString())
            .build();
    var command = spec.toCommand(REPOSITORY_PASSWORD, CREDENTIALS);
    List<String> argv = new ArrayList<>();
    argv.add(sandbox.binary().toString());
    argv.addAll(command.args());
    Map<String, String> env = new HashMap<>(sandbox.baseEnvironment());
    env.putAll(command.environment());
    env.putAll(command.secretEnvironment());
    if (!folders.isEmpty()) {
      env.put("KOPIA_CACHE_DIRECTORY", cache.toString());
    }
    server =
        BackgroundProcess.start(argv, env, sandbox.root().resolve("server" + folders + ".log"));
    server.awaitLogLine("SERVER ADDRESS:", Duration.ofSeconds(60));
  }

  /** The operator's direct connection, counted. */
  public Kopia operator() {
    return operator;
  }

  public CountingRunner counting() {
    return counting;
  }

  public ProcessKopiaRunner runner() {
    return runner;
  }

  public String url() {
    return url;
  }

  public CertificateFingerprint fingerprint() {
    return fingerprint;
  }

  /** The real {@code kopia server refresh}, counted. */
  public ServerRefresher refresher() {
    KopiaServerRefresher real = new KopiaServerRefresher(runner, url, fingerprint, CREDENTIALS);
    return () -> {
      refreshes.incrementAndGet();
      real.refresh();
    };
  }

  public int refreshes() {
    return refreshes.get();
  }

  /** Connects a fresh client workspace as {@code user}; throws if the server refuses. */
  public Kopia connect(KopiaUsername user, SecretValue password) {
    return Kopia.connectToServer(
        runner, workspace("client"), url, fingerprint, ClientIdentity.of(user), password);
  }

  public KopiaWorkspace workspace(String name) {
    return KopiaWorkspace.create(
        sandbox.root().resolve("workspaces"), name + "-" + WORKSPACES.incrementAndGet());
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
