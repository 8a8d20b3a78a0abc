package io.kanister.kopia.operator.export;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.cli.Subcommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code kopia-operator export-client}: writes a user's client files into a container, for a person
 * to run. The password of a predefined user is read from the Repository's access Secrets, global
 * mode's shared user's from the Secret {@code <repository>-client}; any other password (such as a
 * dynamic user's token) is read from stdin with {@code --password-stdin}, since it must never be an
 * argument.
 */
public final class ExportClientCommand extends Subcommand<ExportClientOptions> {
  public static final String NAME = "export-client";

  static final String USAGE =
      """
      Usage: kopia-operator export-client --repository=NAME --user=USER@HOST --pod=NAME
             --container=NAME [--namespace=NS] [--pod-namespace=NS] [--dir=PATH]
             [--password-stdin]

      Writes the Kopia client repository.config (server URL, certificate fingerprint,
      username, hostname) and the user's password file, both mode 0600, into a container.

        --repository     the Repository whose server the client connects to
        --namespace      the Repository's namespace (default: the client's namespace)
        --user           the Kopia user, e.g. mysql@monitoring.mysql-blue
        --pod            the pod to write into
        --pod-namespace  the pod's namespace (default: the Repository's target namespace)
        --container      the container to write into
        --dir            the folder for repository.config and password (default /tmp/kopia-client)
        --password-stdin read the password from stdin instead of the access Secrets
      """;

  private final InputStream stdin;

  public ExportClientCommand(
      KubernetesClient client, InputStream stdin, PrintStream out, PrintStream err) {
    super(NAME, USAGE, client, out, err);
    this.stdin = stdin;
  }

  @Override
  protected ExportClientOptions parse(List<String> args) {
    return ExportClientOptions.parse(args.toArray(String[]::new));
  }

  @Override
  protected int execute(ExportClientOptions options) {
    export(options);
    return 0;
  }

  @Override
  protected boolean reportable(RuntimeException e) {
    return e instanceof ExportException || super.reportable(e);
  }

  private void export(ExportClientOptions options) {
    String namespace = namespaceOrConfigured(options.namespace());
    Repository repository =
        client
            .resources(Repository.class)
            .inNamespace(namespace)
            .withName(options.repository())
            .get();
    if (repository == null) {
      throw new IllegalStateException(
          "Repository " + namespace + "/" + options.repository() + " does not exist");
    }
    KopiaUsername user = KopiaUsername.lowercased(options.user());
    ClientConnection connection = ClientConnection.of(repository, user);
    Optional<String> targetNamespace =
        Optional.ofNullable(repository.getSpec().getTargetNamespace());
    Optional<io.kanister.kopia.core.secret.SecretValue> own =
        options.passwordFromStdin()
            ? Optional.empty()
            : UserPasswords.predefined(client, repository, user);
    // Only a predefined user's export is recorded: its password can be read again later.
    boolean predefined = own.isPresent();
    io.kanister.kopia.core.secret.SecretValue password =
        options.passwordFromStdin()
            ? UserPasswords.fromStdin(stdin)
            : own.orElseGet(() -> UserPasswords.lookup(client, repository, user));
    String podNamespace =
        options
            .podNamespace()
            .or(() -> targetNamespace)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Repository "
                            + namespace
                            + "/"
                            + options.repository()
                            + " serves every namespace (global mode); pass --pod-namespace"));
    PodTarget target = new PodTarget(podNamespace, options.pod(), options.container());
    ClientFiles files = options.directory().map(ClientFiles::new).orElse(ClientFiles.defaults());
    new ClientExporter(new ExecPodFileWriter(client, Duration.ofMinutes(1)))
        .export(connection, password, target, files);
    if (predefined) {
      remember(repository, user, target, files);
    }
    out.println(
        "wrote "
            + files.configFile()
            + " and "
            + files.passwordFile()
            + " for "
            + user
            + " into "
            + target);
  }

  /**
   * Records the target so that the operator writes the files again after a certificate renewal. The
   * files are written either way: a failure here is a warning.
   */
  private void remember(
      Repository repository, KopiaUsername user, PodTarget target, ClientFiles files) {
    try {
      ExportRecord.remember(
          client,
          repository,
          new ExportRecord.Entry(
              user.value(),
              target.namespace(),
              target.pod(),
              target.container(),
              files.directory(),
              repository.getStatus().getServer().getCertificateFingerprint()));
    } catch (RuntimeException e) {
      err.println(
          "kopia-operator export-client: warning: could not record the export in ConfigMap "
              + repository.getMetadata().getNamespace()
              + "/"
              + ExportRecord.name(repository)
              + " ("
              + e.getMessage()
              + "); the files will not follow a certificate renewal: run export-client again"
              + " after one");
    }
  }
}
