package io.kanister.kopia.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code helm} binary (built by {@code scripts/install-tools.sh}), for tests of the chart
 * under {@code deploy/helm}. Missing helm fails in strict mode and skips loudly otherwise.
 */
public final class Helm {
  /** The project's chart, from any module's folder. */
  public static final Path CHART =
      Path.of("..", "deploy", "helm", "kopia-operator").toAbsolutePath().normalize();

  private final Path binary;

  private Helm(Path binary) {
    this.binary = binary;
  }

  public static Helm require() {
    return new Helm(ToolBinary.HELM.require());
  }

  public Path binary() {
    return binary;
  }

  /** {@code helm template <release> CHART --namespace <namespace> <args...>}: the rendered YAML. */
  public String template(String release, String namespace, String... args) {
    List<String> command =
        new ArrayList<>(List.of("template", release, CHART.toString(), "--namespace", namespace));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs helm with {@code args} and returns its stdout; a non-zero exit fails with its output. */
  public String run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    // No repository or plugin state of the developer's own helm.
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "kko-helm-home");
    builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    try {
      // stderr to a file: reading both pipes in turn could block on a full one.
      Path errors = Files.createTempFile("kko-helm-", ".err");
      builder.redirectError(errors.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm " + args + " did not finish within 60s");
      }
      String err = Files.readString(errors);
      Files.deleteIfExists(errors);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "helm " + args + " exited " + process.exitValue() + ":\n" + err + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running helm", e);
    }
  }
}
