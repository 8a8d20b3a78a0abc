package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo ({@code scripts/run.sh} without a cluster) as a real process: on SIGTERM and on SIGINT
 * (Ctrl-C) it stops every child it started (etcd, kube-apiserver, the Kopia server), leaving no
 * orphan.
 */
@RealKubernetes
@RealKopia
class LocalDemoShutdownE2E {

  @ParameterizedTest(name = "SIG{0}")
  @ValueSource(strings = {"TERM", "INT"})
  void everyChildStopsWithTheDemo(String signal, KopiaSandbox sandbox) throws Exception {
    Path log = sandbox.root().resolve("demo-" + signal + ".log");
    Process demo =
        new ProcessBuilder(
                // A process started in the background by a non-interactive shell (nohup, `cmd &`)
                // inherits SIGINT ignored, and a JVM then never sees Ctrl-C: give the demo the
                // default disposition a terminal's foreground job has, whatever ran this test.
                "env",
                "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                LocalDemo.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      List<ProcessHandle> children =
          await()
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> demo.descendants().filter(ProcessHandle::isAlive).toList(),
                  list ->
                      text(log).contains("press Ctrl-C to stop")
                          && names(list).containsAll(List.of("etcd", "kube-apiserver", "kopia")));
      System.out.printf("[figures] demo children before SIG%s: %s%n", signal, names(children));

      long start = System.nanoTime();
      // By the demo's own PID, as a terminal's Ctrl-C or a kill would.
      new ProcessBuilder("kill", "-" + signal, Long.toString(demo.pid())).start().waitFor();
      boolean exited = demo.waitFor(60, TimeUnit.SECONDS);
      System.out.printf(
          "[figures] demo exit after SIG%s: %.1f s%n", signal, (System.nanoTime() - start) / 1e9);

      assertThat(exited).as(Files.readString(log)).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  private static String text(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static List<String> names(List<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.info().command().orElse(""))
        .map(command -> Path.of(command).getFileName())
        .map(name -> name == null ? "" : name.toString())
        .toList();
  }
}
