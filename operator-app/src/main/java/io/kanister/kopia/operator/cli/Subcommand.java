package io.kanister.kopia.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * What every {@code kopia-operator <verb>} shares, so that the verbs answer alike: options parsed
 * first (a bad one exits 2 with a pointer to --help), --help on stdout, one error line prefixed
 * with the verb, and an API failure that says what to check rather than a stack trace.
 */
public abstract class Subcommand<O extends Subcommand.Options> {
  /** The parsed options of one verb. */
  public interface Options {
    boolean help();
  }

  private final String name;
  private final String usage;
  protected final KubernetesClient client;
  protected final PrintStream out;
  protected final PrintStream err;

  protected Subcommand(
      String name, String usage, KubernetesClient client, PrintStream out, PrintStream err) {
    this.name = name;
    this.usage = usage;
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /** Runs with the arguments after the verb; returns the process exit code. */
  public final int run(List<String> args) {
    O options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      printError(e.getMessage() + "; see --help");
      return ExitCode.USAGE;
    }
    if (options.help()) {
      out.print(usage);
      return ExitCode.READY;
    }
    try {
      return execute(options);
    } catch (KubernetesClientException e) {
      printError(apiFailure(e, options));
      return apiErrorCode();
    } catch (RuntimeException e) {
      if (!reportable(e)) {
        throw e;
      }
      printError(e.getMessage());
      return FAILED;
    }
  }

  /** The exit code of a verb that did not do its work; the message says why and how to fix it. */
  protected static final int FAILED = 1;

  protected abstract O parse(List<String> args);

  protected abstract int execute(O options);

  /** One line for an API failure: the code and reason only, never a request body. */
  protected String apiFailure(KubernetesClientException e, O options) {
    return "the API server refused or failed a read (HTTP "
        + e.getCode()
        + (e.getStatus() == null || e.getStatus().getReason() == null
            ? ""
            : ", " + e.getStatus().getReason())
        + "); check the kubeconfig and that it may get repositories and the access"
        + " Secrets in the Repository's namespace";
  }

  protected int apiErrorCode() {
    return FAILED;
  }

  /** Whether the failure is the user's to fix, so its message alone is the answer. */
  protected boolean reportable(RuntimeException e) {
    return e instanceof IllegalStateException
        || e instanceof IllegalArgumentException
        || e instanceof UncheckedIOException;
  }

  protected final void printError(String message) {
    err.println("kopia-operator " + name + ": " + message);
  }

  /** The given namespace, else the kubeconfig's; a verb that writes files never guesses further. */
  protected final String namespaceOrConfigured(Optional<String> given) {
    String namespace = given.orElseGet(client::getNamespace);
    if (namespace == null) {
      throw new IllegalArgumentException(
          "no namespace given and none configured; pass --namespace");
    }
    return namespace;
  }
}
