package io.kanister.kopia.core.exec;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.MessageLoggers;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;

/**
 * Runs kopia as a local process through zt-exec.
 *
 * <p>The child gets a clean environment: only {@code PATH}, {@code TMPDIR} and what the command
 * carries. Inheriting the operator's own environment could hand its cloud credentials to a
 * repository that did not ask for them.
 */
public final class ProcessKopiaRunner implements KopiaRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessKopiaRunner.class);
  private static final int MAX_STDOUT_BYTES = 32 * 1024 * 1024;
  private static final int MAX_STDERR_BYTES = 1024 * 1024;

  private final Path binary;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private volatile boolean shutDown;

  public ProcessKopiaRunner(Path binary) {
    this.binary = binary;
  }

  /**
   * Refuses every later run and stops the kopia processes still running: SIGTERM, then SIGKILL for
   * those still alive after {@code grace}. Their callers get a {@link KopiaCancelledException}. For
   * a bounded shutdown: nothing this runner started outlives it, and a pool that keeps submitting
   * work (users, say) gets no new kopia.
   *
   * @return how many kopia processes were running
   */
  public int shutDown(Duration grace) {
    shutDown = true;
    List<Process> stopping = List.copyOf(running);
    stopping.forEach(Process::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (Process process : stopping) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (!stopping.isEmpty()) {
      LOG.info("stopped {} running kopia processes", stopping.size());
    }
    return stopping.size();
  }

  /** How many kopia processes this runner has running now. */
  public int runningCount() {
    return running.size();
  }

  public Path binary() {
    return binary;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    if (shutDown) {
      throw new KopiaCancelledException(command.verb());
    }
    List<String> argv = new ArrayList<>(command.args().size() + 1);
    argv.add(binary.toString());
    argv.addAll(command.args());
    BoundedCapture stdout = new BoundedCapture(MAX_STDOUT_BYTES);
    BoundedCapture stderr = new BoundedCapture(MAX_STDERR_BYTES);
    long started = System.nanoTime();
    Map<String, String> environment = environmentFor(command);
    unusableVariable(environment)
        .ifPresent(
            name -> {
              throw new KopiaException(
                  command,
                  KopiaFailure.startFailed(
                      "the environment variable "
                          + name
                          + " holds a NUL byte, which no process environment can carry"));
            });
    StartedProcess process;
    try {
      process =
          new ProcessExecutor()
              .command(argv)
              .environment(environment)
              .redirectOutput(stdout)
              .redirectError(stderr)
              .exitValueAny()
              .destroyOnExit()
              // zt-exec's own "Executing ..." line prints the whole environment, secrets included.
              .setMessageLogger(MessageLoggers.NOP)
              .start();
    } catch (IOException | RuntimeException e) {
      // Whatever start throws, its message may quote the environment (zt-exec lists it, the JDK
      // quotes a rejected value): keep only the type, never the message.
      throw new KopiaException(
          command,
          KopiaFailure.startFailed(
              "cannot start kopia at " + binary + " (" + e.getClass().getSimpleName() + ")"));
    }
    running.add(process.getProcess());
    int exitCode;
    try {
      if (shutDown) {
        // Shut down between the check above and the start: this one was never seen by it.
        stop(process);
        throw new KopiaCancelledException(command.verb());
      }
      exitCode = await(command, process);
    } finally {
      running.remove(process.getProcess());
    }
    if (shutDown) {
      // Killed by shutDown: not kopia's failure, and no condition should say it was.
      throw new KopiaCancelledException(command.verb());
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    LOG.debug("{} exited {} in {} ms", command, exitCode, elapsed.toMillis());
    if (exitCode != 0) {
      throw new KopiaException(
          command,
          KopiaFailure.classify(exitCode, stderr.text(), command.secretEnvironment().values()));
    }
    return new KopiaResult(
        stdout.text(), stderr.text(), elapsed, stdout.truncated() || stderr.truncated());
  }

  private static int await(KopiaCommand command, StartedProcess process) {
    try {
      ProcessResult result =
          process.getFuture().get(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
      return result.getExitValue();
    } catch (TimeoutException e) {
      stop(process);
      throw new KopiaException(command, KopiaFailure.timeout(command.timeout()));
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new KopiaCancelledException(command.verb());
    } catch (ExecutionException e) {
      stop(process);
      throw new IllegalStateException(
          "'kopia "
              + command.verb()
              + "' could not be awaited ("
              + e.getCause().getClass().getSimpleName()
              + ")");
    }
  }

  private static void stop(StartedProcess process) {
    process.getProcess().destroy();
    try {
      if (!process.getProcess().waitFor(5, TimeUnit.SECONDS)) {
        process.getProcess().destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.getProcess().destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process.getFuture().cancel(true);
  }

  /** The first variable the JDK would refuse to pass (it quotes the value when it does). */
  private static Optional<String> unusableVariable(Map<String, String> environment) {
    return environment.entrySet().stream()
        .filter(e -> e.getValue() != null && e.getValue().indexOf('\0') >= 0)
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst();
  }

  private static Map<String, String> environmentFor(KopiaCommand command) {
    Map<String, String> env = new HashMap<>();
    // zt-exec starts from this JVM's environment; a null value removes an inherited entry.
    System.getenv().keySet().forEach(k -> env.put(k, null));
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("TMPDIR", System.getProperty("java.io.tmpdir"));
    env.put("KOPIA_CHECK_FOR_UPDATES", "false");
    // Kopia keeps logs and caches under HOME; without one it would write into the working folder.
    env.put("HOME", Path.of(System.getProperty("java.io.tmpdir"), "kopia-home").toString());
    env.putAll(command.environment());
    env.putAll(command.secretEnvironment());
    return env;
  }
}
