package io.kanister.kopia.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator as a child process, started the way a container starts it: {@code OperatorMain} in a
 * JVM of its own (heap capped at 256 MiB), this test's class path, a kubeconfig and {@code
 * POD_NAME} (its Lease identity) in its environment, stdout and stderr in one log file.
 */
final class OperatorProcess {
  private OperatorProcess() {}

  static Process start(Path kubeconfig, String podName, List<String> flags, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.kanister.kopia.operator.OperatorMain"));
    command.addAll(flags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAME", podName);
    return builder.start();
  }
}
