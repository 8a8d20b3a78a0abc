package io.kanister.kopia.testsupport.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real node's processes: started on the host or inside the node's namespaces, each with its PID
 * recorded where {@code real-node.sh down} finds it, in the order it stops them.
 */
final class NodeProcesses {
  private final Path dir;
  private final List<LocalProcess> processes = new CopyOnWriteArrayList<>();

  NodeProcesses(Path dir) {
    this.dir = dir;
  }

  List<LocalProcess> all() {
    return processes;
  }

  /** Runs a command inside the node's namespaces and returns its output; fails on exit != 0. */
  String runInNamespace(List<String> command) {
    List<String> full = new ArrayList<>(nsenter());
    full.addAll(command);
    return run(full);
  }

  List<String> nsenter() {
    return List.of(
        "nsenter", "--net=" + dir.resolve("ns/net"), "--mount=" + dir.resolve("ns/mnt"), "--");
  }

  void startInNamespace(String name, List<String> command) {
    List<String> full = new ArrayList<>(nsenter());
    // iptables (kube-proxy, the CNI portmap plugin) would otherwise create /run/xtables.lock on
    // the host. env execs the command, so the recorded PID stays the component's.
    full.addAll(List.of("env", "XTABLES_LOCKFILE=" + dir.resolve("xtables.lock")));
    full.addAll(command);
    startOnHost(name, full);
  }

  void startOnHost(String name, List<String> command) {
    mkdirs(dir.resolve("logs"));
    LocalProcess process =
        LocalProcess.start(name.substring(3), command, dir.resolve("logs/" + name + ".log"));
    record(process, name.substring(0, 3));
  }

  /** The PID file real-node.sh stops in order: {@code <order>-<name>.pid}. */
  synchronized void record(LocalProcess process, String orderPrefix) {
    processes.add(process);
    try {
      Files.writeString(
          dir.resolve("pids/" + orderPrefix + process.name() + ".pid"), process.pid() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void assertAlive(String name) {
    for (LocalProcess process : processes) {
      if (process.name().equals(name) && !process.isAlive()) {
        throw process.failure("exited during start-up");
      }
    }
  }

  IllegalStateException failure(String name, String what) {
    return processes.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .map(p -> p.failure(what))
        .orElseGet(() -> new IllegalStateException(name + " " + what));
  }

  static String run(List<String> command) {
    try {
      Path out = Files.createTempFile("kko-node-", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        String output = Files.readString(out);
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "exit " + process.exitValue() + ": " + String.join(" ", command) + "\n" + output);
        }
        return output;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void mkdirs(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
