package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §1: the demo ({@code scripts/run.sh} without a cluster), as a real process, ends in a
 * real snapshot. The commands it prints are run exactly as printed, with {@code bash -c}: the
 * snapshot goes through its Kopia server as the demo user, and the restore reproduces the files
 * byte for byte. Then the demo stops and leaves no process behind.
 */
@RealKubernetes
@RealKopia
class LocalDemoSnapshotE2E {
  private static final Pattern ADDRESS =
      Pattern.compile("(?:https?://)?(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+\\]|localhost)");

  @Test
  void printedCommandsSnapshotAndRestoreThroughTheServer(KopiaSandbox sandbox) throws Exception {
    Path log = sandbox.root().resolve("demo.log");
    long start = System.nanoTime();
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                LocalDemo.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(240))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  text(log).contains("(Serving)")
                      || text(log).contains("could not prepare")
                      || !demo.isAlive());
      double serving = (System.nanoTime() - start) / 1e9;
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  text(log).contains("client ready in")
                      || text(log).contains("could not prepare")
                      || !demo.isAlive());
      String output = text(log);
      assertThat(output).as(output).contains("client ready in").doesNotContain(" DEBUG ");
      List<String> commands =
          output
              .lines()
              .filter(l -> l.startsWith(DemoClient.COMMAND_PREFIX))
              .map(l -> l.substring(DemoClient.COMMAND_PREFIX.length()))
              .toList();
      assertThat(commands).as(output).hasSize(3);
      assertThat(String.join("\n", commands))
          .as("the password is read from its file, never written on a command line")
          .contains("KOPIA_PASSWORD=\"$(cat ")
          .doesNotContainPattern("--password[= ]");
      // Every address the commands or the client config name is loopback.
      Path config = Path.of(flagValue(commands.get(0), "--config-file"));
      assertLoopbackOnly(String.join("\n", commands) + "\n" + Files.readString(config));

      List<String> results = new ArrayList<>();
      for (String command : commands) {
        results.add(bash(command, sandbox));
      }
      double firstSnapshot = (System.nanoTime() - start) / 1e9;
      assertThat(results.get(2)).contains("restored");

      Path data = Path.of(commands.get(0).substring(commands.get(0).lastIndexOf(' ') + 1));
      String[] restore = commands.get(1).split(" ");
      Path restored = Path.of(restore[restore.length - 1]);
      assertSameTree(data, restored);
      // Through the server, as the demo user (kopia's own listing, not the demo's word).
      String list =
          bash(commands.get(0).replaceFirst(" snapshot create .*$", " snapshot list"), sandbox);
      assertThat(list).contains("demo@demo.laptop:" + data);
      System.out.printf(
          "[figures] demo: Serving after %.1f s, first snapshot and restore done after %.1f s%n",
          serving, firstSnapshot);

      List<ProcessHandle> children = demo.descendants().filter(ProcessHandle::isAlive).toList();
      new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor();
      assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as(text(log)).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
      assertThat(Files.exists(config)).as("the demo removes its folder").isFalse();
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  /** Runs one printed line as a person would paste it; its output, or a failure with it. */
  private static String bash(String command, KopiaSandbox sandbox) throws Exception {
    Map<String, String> env = new HashMap<>(sandbox.baseEnvironment());
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s%n%s", command, out).isZero();
    return out;
  }

  private static String flagValue(String command, String flag) {
    Matcher m = Pattern.compile(Pattern.quote(flag) + "=(\\S+)").matcher(command);
    assertThat(m.find()).as(command).isTrue();
    return m.group(1);
  }

  private static void assertLoopbackOnly(String text) {
    Matcher m = ADDRESS.matcher(text);
    while (m.find()) {
      String host = m.group(1);
      assertThat(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))
          .as("%s in%n%s", host, text)
          .isTrue();
    }
  }

  private static void assertSameTree(Path expected, Path actual) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(expected)) {
      files = walk.filter(Files::isRegularFile).map(expected::relativize).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    try (Stream<Path> walk = Files.walk(actual)) {
      assertThat(walk.filter(Files::isRegularFile).map(actual::relativize).sorted().toList())
          .isEqualTo(files);
    }
    for (Path file : files) {
      assertThat(Files.readAllBytes(actual.resolve(file)))
          .as(file.toString())
          .isEqualTo(Files.readAllBytes(expected.resolve(file)));
    }
  }

  private static String text(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }
}
