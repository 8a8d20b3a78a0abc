package io.kanister.kopia.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.operator.cli.StatusCommand;
import io.kanister.kopia.operator.export.ConnectCommand;
import io.kanister.kopia.operator.export.ExportClientCommand;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the Kanister Kopia operator: parses flags, checks the kopia binary, connects to
 * the cluster (kubeconfig or in-cluster) and runs until stopped. Misconfiguration ends the process
 * with one line and a non-zero exit code.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  /**
   * The whole shutdown stays under 10 s (Kubernetes' default grace period is 30 s, but a Ctrl-C
   * should not wait): kopia gets {@link #KOPIA_STOP_GRACE} after SIGTERM, the reconciles in flight
   * the runtime's shutdown timeout (5 s), and past this bound the JVM exits regardless.
   */
  static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(9);

  static final Duration KOPIA_STOP_GRACE = Duration.ofSeconds(2);

  static final String USAGE =
      """
      Usage: kopia-operator [flags]
             kopia-operator status [NAME] [-n NS | -A] [-o text|json]
             kopia-operator export-client --help
             kopia-operator connect --help
             kopia-operator --help | --version

      The Kanister Kopia operator manages Kopia repositories and repository servers
      for the Repository custom resource (cr.kanister.io/v1alpha1).

      """;

  private OperatorMain() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.equals(List.of("--version"))) {
      out.println("kopia-operator " + version());
      return 0;
    }
    if (!arguments.isEmpty() && arguments.get(0).equals(ExportClientCommand.NAME)) {
      try (KubernetesClient client = new KubernetesClientBuilder().build()) {
        return new ExportClientCommand(client, System.in, out, err)
            .run(arguments.subList(1, arguments.size()));
      }
    }
    if (!arguments.isEmpty() && arguments.get(0).equals(StatusCommand.NAME)) {
      try (KubernetesClient client = new KubernetesClientBuilder().build()) {
        return new StatusCommand(client, out, err).run(arguments.subList(1, arguments.size()));
      }
    }
    if (!arguments.isEmpty() && arguments.get(0).equals(ConnectCommand.NAME)) {
      try (KubernetesClient client = new KubernetesClientBuilder().build()) {
        return new ConnectCommand(client, System.in, out, err)
            .run(arguments.subList(1, arguments.size()));
      }
    }
    if (arguments.equals(List.of("--help"))) {
      out.print(USAGE);
      out.print(OperatorOptionsParser.usage());
      return 0;
    }
    OperatorOptions options;
    try {
      options = OperatorOptionsParser.parse(arguments, env);
    } catch (IllegalArgumentException e) {
      err.println("kopia-operator: " + e.getMessage());
      return 2;
    }
    // Building the client (kubeconfig or in-cluster config, TLS, the model's serialization) is
    // most of the start before the first API call; it runs while kopia --version does.
    CompletableFuture<KubernetesClient> building =
        CompletableFuture.supplyAsync(
            () ->
                new KubernetesClientBuilder()
                    .withKubernetesSerialization(ClientSerialization.create())
                    .build());
    String kopiaVersion = kopiaVersion(options);
    if (kopiaVersion == null) {
      building.whenComplete((built, error) -> Optional.ofNullable(built).ifPresent(c -> c.close()));
      err.println(
          "kopia-operator: cannot run kopia at "
              + options.kopiaBinary()
              + "; install kopia or pass --kopia-binary=/path/to/kopia");
      return 2;
    }
    LOG.info(
        "kopia-operator {} starting: scope={}, namespace={}, kopia {}",
        version(),
        options.repositoryScope().value(),
        options.operatorNamespace(),
        kopiaVersion);
    String identity = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "kopia-operator"));
    ProcessKopiaRunner kopia = new ProcessKopiaRunner(options.kopiaBinary());
    try (KubernetesClient client = built(building);
        OperatorStartup.Running running =
            OperatorStartup.start(
                client,
                options,
                kopia,
                ServerEndpointResolver.withOverrides(options.serverAddressOverrides()),
                identity,
                Optional.ofNullable(env.get("OPERATOR_DEPLOYMENT_NAME")),
                true)) {
      CountDownLatch stopped = new CountDownLatch(1);
      CountDownLatch drained = new CountDownLatch(1);
      // The JVM exits when shutdown hooks return: wait (bounded) for the shutdown below, and
      // whatever happened, leave no kopia behind.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopped.countDown();
                    if (!awaitQuietly(drained, SHUTDOWN_BOUND)) {
                      LOG.warn("shutdown took longer than {}; exiting anyway", SHUTDOWN_BOUND);
                    }
                    kopia.shutDown(Duration.ZERO);
                  },
                  "shutdown"));
      LOG.info("operator running; health and metrics on :{}", options.healthPort());
      stopped.await();
      LOG.info("stopping: kopia, then the reconciles in flight, then leadership");
      // First, so that reconciles in flight end at once and pools (users) start no new kopia.
      kopia.shutDown(KOPIA_STOP_GRACE);
      running.close();
      drained.countDown();
    } catch (OperatorStartup.StartupException e) {
      err.println("kopia-operator: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      err.println(
          "kopia-operator: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return 1;
    }
    return 0;
  }

  /** The client built in the background, or what building it threw. */
  private static KubernetesClient built(CompletableFuture<KubernetesClient> building) {
    try {
      return building.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static boolean awaitQuietly(CountDownLatch latch, Duration bound) {
    try {
      return latch.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String kopiaVersion(OperatorOptions options) {
    if (!Files.isExecutable(options.kopiaBinary())) {
      return null;
    }
    try {
      Process process = new ProcessBuilder(options.kopiaBinary().toString(), "--version").start();
      String out =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0
          ? out.lines().findFirst().orElse(out)
          : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static String version() {
    Properties properties = new Properties();
    try (InputStream in =
        OperatorMain.class.getResourceAsStream("/kopia-operator-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }
}
