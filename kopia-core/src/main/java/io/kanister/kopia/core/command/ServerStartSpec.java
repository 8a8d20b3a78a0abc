package io.kanister.kopia.core.command;

import io.kanister.kopia.core.secret.SecretValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How a repository server starts: the one source of truth for both the server container (args plus
 * the names of the environment variables to fill from Secrets) and a local run in tests.
 *
 * <p>Every credential is an environment variable; the server command line carries only paths and
 * switches.
 */
@Value.Immutable
public abstract class ServerStartSpec {
  public static final int DEFAULT_PORT = 51515;

  /** Repository password, read by kopia to open the repository. */
  public static final String REPOSITORY_PASSWORD_ENV = "KOPIA_PASSWORD";

  public static final String UI_USERNAME_ENV = "KOPIA_SERVER_USERNAME";
  public static final String UI_PASSWORD_ENV = "KOPIA_SERVER_PASSWORD";
  public static final String CONTROL_USERNAME_ENV = "KOPIA_SERVER_CONTROL_USER";
  public static final String CONTROL_PASSWORD_ENV = "KOPIA_SERVER_CONTROL_PASSWORD";

  /** Listen address, {@code host:port}; TLS is chosen by the certificate files, not a scheme. */
  @Value.Default
  public String address() {
    return "0.0.0.0:" + DEFAULT_PORT;
  }

  public abstract String configFile();

  public abstract String tlsCertFile();

  public abstract String tlsKeyFile();

  public abstract Optional<String> cacheDirectory();

  /** How often the server re-reads users and policies by itself; kopia's default is 4h. */
  public abstract Optional<Duration> refreshInterval();

  /**
   * Where kopia serves Prometheus metrics over plain HTTP without auth ({@code GET /metrics}, the
   * hidden global flag {@code --metrics-listen-addr}), {@code host:port}. Unlike the TCP socket,
   * which the kernel keeps accepting for a frozen process, only a running kopia answers it.
   */
  public abstract Optional<String> metricsAddress();

  public static ImmutableServerStartSpec.Builder builder() {
    return ImmutableServerStartSpec.builder();
  }

  /** The container args after the {@code kopia} entry point. */
  public List<String> args() {
    List<String> args = new ArrayList<>();
    args.add("server");
    args.add("start");
    args.add("--address=" + address());
    args.add("--config-file=" + configFile());
    args.add("--tls-cert-file=" + tlsCertFile());
    args.add("--tls-key-file=" + tlsKeyFile());
    cacheDirectory().ifPresent(dir -> args.add("--cache-directory=" + dir));
    refreshInterval().ifPresent(d -> args.add("--refresh-interval=" + d.toSeconds() + "s"));
    metricsAddress().ifPresent(a -> args.add("--metrics-listen-addr=" + a));
    // The control API stays on: the operator checks health and refreshes users through it.
    return List.copyOf(args);
  }

  /** The environment variables the container must receive from Secrets. */
  public static List<String> secretEnvironmentNames() {
    return List.of(
        REPOSITORY_PASSWORD_ENV,
        UI_USERNAME_ENV,
        UI_PASSWORD_ENV,
        CONTROL_USERNAME_ENV,
        CONTROL_PASSWORD_ENV);
  }

  /** The same start as a local command, for running the server outside a cluster (tests). */
  public KopiaCommand toCommand(SecretValue repositoryPassword, ServerCredentials credentials) {
    return KopiaCommand.builder()
        .args(args())
        .timeout(Duration.ofDays(3650))
        .putAllEnvironment(
            Map.of(
                UI_USERNAME_ENV, credentials.uiUsername(),
                CONTROL_USERNAME_ENV, credentials.controlUsername()))
        .putAllSecretEnvironment(
            Map.of(
                REPOSITORY_PASSWORD_ENV, repositoryPassword.reveal(),
                UI_PASSWORD_ENV, credentials.uiPassword().reveal(),
                CONTROL_PASSWORD_ENV, credentials.controlPassword().reveal()))
        .build();
  }
}
