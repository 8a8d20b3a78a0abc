package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryConditionTypes;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.cli.Subcommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kopia-operator connect}: writes a user's client files into a local folder, for a person at
 * a terminal (export-client does the same into a container). The connection comes from the
 * Repository's status, the password as export-client finds it.
 */
public final class ConnectCommand extends Subcommand<ConnectOptions> {
  public static final String NAME = "connect";

  static final String USAGE =
      """
      Usage: kopia-operator connect NAME --user=USER@HOST --to-dir=DIR [--namespace=NS]
             [--server-address=HOST:PORT] [--password-stdin]

      Writes the Kopia client repository.config (server URL and certificate fingerprint
      from the Repository's status, username, hostname) and the user's password file,
      both mode 0600, into the local folder DIR. Then, for example:

        KOPIA_PASSWORD="$(cat DIR/password)" kopia --config-file=DIR/repository.config \\
          snapshot create PATH

        NAME             the Repository whose server the client connects to
        --namespace      the Repository's namespace (default: the kubeconfig's namespace)
        --user           the Kopia user, e.g. mysql@monitoring.mysql-blue
        --to-dir         the local folder for repository.config and password
        --server-address HOST:PORT to dial instead of the status URL's, e.g. the local end
                         of `kubectl port-forward svc/<server> 51515`; the certificate
                         fingerprint is still checked
        --password-stdin read the password from stdin instead of the access Secrets

      Exit codes: 0 written, 1 failed (the message says why and how to fix it), 2 usage.
      """;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final InputStream stdin;

  public ConnectCommand(
      KubernetesClient client, InputStream stdin, PrintStream out, PrintStream err) {
    super(NAME, USAGE, client, out, err);
    this.stdin = stdin;
  }

  @Override
  protected ConnectOptions parse(List<String> args) {
    return ConnectOptions.parse(args.toArray(String[]::new));
  }

  @Override
  protected int execute(ConnectOptions options) {
    String namespace = namespaceOrConfigured(options.namespace());
    Optional<SecretValue> password =
        options.passwordFromStdin()
            ? Optional.of(UserPasswords.fromStdin(stdin))
            : Optional.empty();
    KopiaUsername user = KopiaUsername.lowercased(options.user());
    ClientFiles files =
        connect(
            namespace,
            options.repository(),
            user,
            Path.of(options.directory()),
            options.serverAddress(),
            password);
    out.println(
        "wrote "
            + files.configFile()
            + " and "
            + files.passwordFile()
            + " for "
            + user
            + " of Repository "
            + namespace
            + "/"
            + options.repository());
    out.println(
        "use: KOPIA_PASSWORD=\"$(cat "
            + files.passwordFile()
            + ")\" kopia --config-file="
            + files.configFile()
            + " snapshot create PATH");
    return 0;
  }

  /**
   * Writes {@code user}'s client files for Repository {@code namespace/name} into {@code
   * directory}, created owner-only when missing. The password is {@code password} when given,
   * otherwise looked up as export-client does.
   *
   * @param serverAddress HOST:PORT replacing the status URL's, keeping its scheme and fingerprint
   * @throws IllegalStateException naming the object and field at fault, and the fix
   */
  public ClientFiles connect(
      String namespace,
      String name,
      KopiaUsername user,
      Path directory,
      Optional<String> serverAddress,
      Optional<SecretValue> password) {
    Repository repository =
        client.resources(Repository.class).inNamespace(namespace).withName(name).get();
    if (repository == null) {
      throw new IllegalStateException(
          "Repository "
              + namespace
              + "/"
              + name
              + " does not exist; check NAME and --namespace (kubectl get repositories -n "
              + namespace
              + ")");
    }
    requireServing(repository);
    ClientConnection fromStatus = ClientConnection.of(repository, user);
    ClientConnection connection =
        serverAddress
            .map(
                address -> {
                  ConnectOptions.checkAddress(address);
                  String scheme = URI.create(fromStatus.serverUrl()).getScheme();
                  return new ClientConnection(
                      scheme + "://" + address, fromStatus.fingerprint(), user);
                })
            .orElse(fromStatus);
    SecretValue secret = password.orElseGet(() -> UserPasswords.lookup(client, repository, user));
    ClientFiles files = new ClientFiles(directory.toAbsolutePath().normalize().toString());
    write(directory, files, connection, secret);
    return files;
  }

  private static void requireServing(Repository repository) {
    Optional<Condition> ready =
        repository.getStatus() == null
            ? Optional.empty()
            : repository.getStatus().condition(RepositoryConditionTypes.SERVER_READY);
    if (ready.isPresent() && !Condition.TRUE.equals(ready.get().getStatus())) {
      throw new IllegalStateException(
          "Repository "
              + repository.getMetadata().getNamespace()
              + "/"
              + repository.getMetadata().getName()
              + " is not serving: status.conditions "
              + RepositoryConditionTypes.SERVER_READY
              + "="
              + ready.get().getStatus()
              + " ("
              + ready.get().getReason()
              + "); wait until it is True, or fix what its message says: "
              + ready.get().getMessage());
    }
  }

  private static void write(
      Path directory, ClientFiles files, ClientConnection connection, SecretValue password) {
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, OWNER_ONLY_DIR);
      }
      ownerOnly(Path.of(files.configFile()), connection.renderConfig());
      ownerOnly(Path.of(files.passwordFile()), password.reveal());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the client files into "
              + directory
              + " ("
              + e.getClass().getSimpleName()
              + "); pass a writable --to-dir",
          e);
    }
  }

  /** Restricts an existing file before writing, so the password is never readable by others. */
  private static void ownerOnly(Path file, String content) throws IOException {
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    } else {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    Files.writeString(
        file,
        content,
        StandardCharsets.UTF_8,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }
}
