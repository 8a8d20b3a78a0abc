package io.kanister.kopia.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubectl plugin launcher, deploy/kubectl-plugin/kubectl-kopia, run by sh and by the real
 * kubectl against the jar this build packaged (integration-test runs after package).
 */
class KubectlPluginIT {
  private static final Path SCRIPT = Path.of("../deploy/kubectl-plugin/kubectl-kopia");
  private static final Path JAR = Path.of("target/kopia-operator.jar");

  record Ran(int code, String out, String err) {}

  @Test
  void launcherRunsTheJarFromTheEnvironment() throws Exception {
    assertThat(JAR).as("run after package").exists();
    Ran ran =
        run(List.of("sh", SCRIPT.toString(), "--version"), Map.of("KOPIA_OPERATOR_JAR", jar()));
    assertThat(ran.code()).isZero();
    assertThat(ran.out()).startsWith("kopia-operator ");
  }

  @Test
  void launcherFindsTheJarBesideItsRealFileThroughASymlink(@TempDir Path dir) throws Exception {
    // The krew layout: the script and the jar (with lib/) in one folder, a symlink on PATH.
    Path store = Files.createDirectories(dir.resolve("store"));
    Files.copy(SCRIPT, store.resolve("kubectl-kopia"));
    store.resolve("kubectl-kopia").toFile().setExecutable(true);
    Files.createSymbolicLink(store.resolve("kopia-operator.jar"), JAR.toAbsolutePath());
    Files.createSymbolicLink(store.resolve("lib"), JAR.toAbsolutePath().resolveSibling("lib"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("kubectl-kopia"), store.resolve("kubectl-kopia"));

    Ran direct = run(List.of(bin.resolve("kubectl-kopia").toString(), "--version"), Map.of());
    assertThat(direct.code()).isZero();
    assertThat(direct.out()).startsWith("kopia-operator ");

    Ran viaKubectl = run(List.of("kubectl", "kopia", "--version"), Map.of("PATH", path(bin)));
    assertThat(viaKubectl.code()).as(viaKubectl.err()).isZero();
    assertThat(viaKubectl.out()).startsWith("kopia-operator ");
  }

  @Test
  void withoutAJarTheLauncherSaysHowToFixIt(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("kubectl-kopia");
    Files.copy(SCRIPT, copy);
    Ran ran = run(List.of("sh", copy.toString(), "status"), Map.of());
    assertThat(ran.code()).isEqualTo(ExitCode.USAGE);
    assertThat(ran.err()).contains("cannot find kopia-operator.jar", "KOPIA_OPERATOR_JAR=");
  }

  @Test
  @RealKubernetes
  void kubectlKopiaStatusReadsTheKubeconfigAndExitsWithTheStatusCode(
      TestNamespace ns, @TempDir Path dir) throws Exception {
    RepositoryCrdInstall.shipped(ns.client());
    Path kubeconfig = ns.cluster().writeKubeconfig(dir.resolve("kubeconfig"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(SCRIPT, bin.resolve("kubectl-kopia"));
    bin.resolve("kubectl-kopia").toFile().setExecutable(true);
    Map<String, String> env =
        Map.of("PATH", path(bin), "KUBECONFIG", kubeconfig.toString(), "KOPIA_OPERATOR_JAR", jar());

    Ran empty = run(List.of("kubectl", "kopia", "status", "-n", ns.name(), "-o", "json"), env);
    assertThat(empty.code()).as(empty.err()).isZero();
    assertThat(empty.out().strip()).isEqualTo("{\"items\":[]}");

    Ran missing = run(List.of("kubectl", "kopia", "status", "-n", ns.name(), "repository-x"), env);
    assertThat(missing.code()).isEqualTo(ExitCode.API_ERROR);
    assertThat(missing.err()).contains("Repository " + ns.name() + "/repository-x not found");

    Ran usage = run(List.of("kubectl", "kopia", "status", "--bogus"), env);
    assertThat(usage.code()).isEqualTo(ExitCode.USAGE);
  }

  private static String jar() {
    return JAR.toAbsolutePath().toString();
  }

  private static String path(Path bin) {
    return bin + ":" + System.getenv("PATH");
  }

  private static Ran run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    builder.environment().remove("KOPIA_OPERATOR_JAR");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("plugin-out", ".txt");
    Path err = Files.createTempFile("plugin-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not end in 120 s");
    }
    Ran ran =
        new Ran(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return ran;
  }
}
