package io.kanister.kopia.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.model.repository.Repository;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/**
 * {@code kopia-operator status [NAME]}: Repositories at a glance, or one in detail, read from their
 * status only (this command never reads a Secret). The exit code tells a script whether they are
 * Ready; see {@link ExitCode}.
 */
public final class StatusCommand extends Subcommand<StatusOptions> {
  public static final String NAME = "status";

  /** Where Repositories live when neither a flag nor the kubeconfig context names a namespace. */
  static final String DEFAULT_NAMESPACE = "kanister";

  static final String USAGE =
      """
      Usage: kopia-operator status [NAME] [-n NS | --namespace=NS | -A | --all-namespaces]
             [-o text|json]

      Shows Repositories: a table of all of them in the namespace, or with NAME every
      condition, the server URL and fingerprint, users and maintenance of one.

        -n, --namespace       the namespace (default: the kubeconfig context's, else kanister)
        -A, --all-namespaces  every namespace (not with NAME)
        -o, --output          text (default) or json

      Exit codes: 0 every listed Repository is Ready (RepositoryReady and ServerReady True,
      status up to date) and healthy; 1 at least one is not Ready; 2 usage error;
      3 not found or the API server refused (e.g. RBAC); 4 all Ready but some have failed
      users or MaintenanceHealthy=False.
      """;

  private final Clock clock;

  public StatusCommand(KubernetesClient client, PrintStream out, PrintStream err) {
    this(client, out, err, Clock.systemUTC());
  }

  StatusCommand(KubernetesClient client, PrintStream out, PrintStream err, Clock clock) {
    super(NAME, USAGE, client, out, err);
    this.clock = clock;
  }

  @Override
  protected StatusOptions parse(List<String> args) {
    return StatusOptions.parse(args);
  }

  @Override
  protected int execute(StatusOptions options) {
    String namespace = namespace(options);
    return options.name().isPresent()
        ? showOne(options, namespace, options.name().get())
        : showList(options, namespace);
  }

  @Override
  protected String apiFailure(KubernetesClientException e, StatusOptions options) {
    return ApiFailure.describe(e, client, scope(options, namespace(options)));
  }

  @Override
  protected int apiErrorCode() {
    return ExitCode.API_ERROR;
  }

  // status reads only status; anything else thrown is a defect, and its stack trace is wanted.
  @Override
  protected boolean reportable(RuntimeException e) {
    return false;
  }

  private String namespace(StatusOptions options) {
    return options.namespace().orElseGet(this::contextNamespace);
  }

  private int showOne(StatusOptions options, String namespace, String name) {
    Repository repository =
        client.resources(Repository.class).inNamespace(namespace).withName(name).get();
    if (repository == null) {
      printError(
          "Repository "
              + namespace
              + "/"
              + name
              + " not found; list them with: kopia-operator status -n "
              + namespace
              + " (or -A for every namespace)");
      return ExitCode.API_ERROR;
    }
    RepositoryState state = new RepositoryState(repository);
    if (options.output() == StatusOptions.Output.JSON) {
      StatusJson.printOne(client, state, out);
    } else {
      StatusDetail.print(state, clock.instant(), out);
    }
    return state.exitCode();
  }

  private int showList(StatusOptions options, String namespace) {
    List<Repository> items =
        options.allNamespaces()
            ? client.resources(Repository.class).inAnyNamespace().list().getItems()
            : client.resources(Repository.class).inNamespace(namespace).list().getItems();
    List<RepositoryState> states =
        items.stream()
            .map(RepositoryState::new)
            .sorted(
                Comparator.comparing(RepositoryState::namespace)
                    .thenComparing(RepositoryState::name))
            .toList();
    if (options.output() == StatusOptions.Output.JSON) {
      StatusJson.printList(client, states, out);
    } else if (states.isEmpty()) {
      // Like kubectl: the note on stderr, so that stdout stays parseable.
      err.println(
          "No Repositories found"
              + (options.allNamespaces() ? "." : " in namespace " + namespace + "."));
    } else {
      StatusTable.print(states, clock.instant(), out);
    }
    return states.stream()
        .mapToInt(RepositoryState::exitCode)
        .reduce(ExitCode.READY, StatusCommand::worse);
  }

  /** NOT_READY outranks DEGRADED, which outranks READY. */
  private static int worse(int a, int b) {
    if (a == ExitCode.NOT_READY || b == ExitCode.NOT_READY) {
      return ExitCode.NOT_READY;
    }
    return Math.max(a, b);
  }

  private String contextNamespace() {
    String namespace = client.getConfiguration().getNamespace();
    return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
  }

  private static String scope(StatusOptions options, String namespace) {
    if (options.allNamespaces()) {
      return "Repositories in every namespace";
    }
    return options
        .name()
        .map(n -> "Repository " + namespace + "/" + n)
        .orElse("Repositories in namespace " + namespace);
  }
}
