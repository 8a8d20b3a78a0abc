package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.testsupport.RepositoryStorage;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The invariants every fault scenario ends with (issue 13 §3), checked against the storage itself:
 * the repository's identity is the recorded one and its format blob is byte-identical; no blob the
 * repository had is gone; no secret value is in the status, an Event or (with {@link OperatorLog})
 * the operator log; at steady state a pass runs no kopia write; no kopia process is left.
 */
final class RepositoryInvariants {

  /**
   * The storage under a repository, read directly (files or S3 objects); its part of the checks is
   * {@link RepositoryStorage#assertUnchanged}, which the process-level e2e scenarios use too.
   */
  interface Storage extends RepositoryStorage {}

  record Baseline(String uniqueId, byte[] format, Set<String> blobs) {}

  private RepositoryInvariants() {}

  static Storage filesystem(Path root) {
    RepositoryStorage files = RepositoryStorage.filesystem(root);
    return new Storage() {
      @Override
      public Set<String> blobs() throws Exception {
        return files.blobs();
      }

      @Override
      public byte[] formatBlob() throws Exception {
        return files.formatBlob();
      }
    };
  }

  static Storage s3(io.kanister.kopia.testsupport.S3Bucket bucket, String prefix) {
    return new Storage() {
      @Override
      public Set<String> blobs() throws Exception {
        return new TreeSet<>(
            S3Objects.list(bucket).stream().filter(k -> k.startsWith(prefix)).toList());
      }

      @Override
      public byte[] formatBlob() throws Exception {
        return S3Objects.get(bucket, prefix + "kopia.repository");
      }
    };
  }

  static Baseline take(RealKopiaReconciler operator, String name, Storage storage)
      throws Exception {
    return new Baseline(
        operator.get(name).getStatus().getRepository().getUniqueId(),
        storage.formatBlob(),
        storage.blobs());
  }

  /**
   * Checks every invariant after {@code scenario} and prints one line with what was checked. Runs
   * one more pass (the steady state) on the way.
   */
  static void check(
      String scenario,
      RealKopiaReconciler operator,
      String name,
      Storage storage,
      Baseline before,
      Collection<String> secrets)
      throws Exception {
    check(
        scenario,
        () -> operator.get(name),
        () -> operator.events(name),
        () -> operator.pass(name),
        storage,
        before,
        secrets);
  }

  /** Reads one thing the invariants look at. */
  interface Read<T> {
    T get() throws Exception;
  }

  /**
   * As above, for any operator: {@code repository} and {@code events} read what it wrote, {@code
   * steady} lets it run at steady state (one pass, or resyncs of the whole operator) and returns
   * the kopia verbs it ran meanwhile.
   */
  static void check(
      String scenario,
      Read<io.kanister.kopia.model.repository.Repository> repository,
      Read<List<io.fabric8.kubernetes.api.model.Event>> events,
      Read<List<String>> steady,
      Storage storage,
      Baseline before,
      Collection<String> secrets)
      throws Exception {
    Set<String> after =
        storage.assertUnchanged(
            scenario,
            before.uniqueId(),
            repository.get().getStatus().getRepository().getUniqueId(),
            before.format(),
            before.blobs());

    int eventCount = checkNoSecretIn(scenario, repository.get(), events.get(), secrets);

    List<String> steadyVerbs = steady.get();
    assertThat(steadyVerbs)
        .as("%s: kopia writes at steady state", scenario)
        .noneMatch(RepositoryInvariants::writes);
    long live = settledKopia();
    assertThat(live).as("%s: kopia processes left", scenario).isZero();
    System.out.printf(
        "[invariants] %s: identity %s and format blob (%d bytes) unchanged; %d blobs before, %d"
            + " after, none removed; %d secret values absent from status and %d Events; steady"
            + " state ran %s (no write); %d kopia processes%n",
        scenario,
        before.uniqueId().substring(0, 8),
        before.format().length,
        before.blobs().size(),
        after.size(),
        secrets.size(),
        eventCount,
        steadyVerbs,
        live);
  }

  /**
   * No secret value in the Repository's status or in any of {@code events}.
   *
   * @return how many Events were read
   */
  static int checkNoSecretIn(
      String scenario,
      io.kanister.kopia.model.repository.Repository repository,
      List<io.fabric8.kubernetes.api.model.Event> events,
      Collection<String> secrets) {
    String status = Serialization.asJson(repository.getStatus());
    List<String> eventTexts =
        events.stream().map(e -> e.getReason() + " " + e.getMessage()).toList();
    for (String secret : secrets) {
      assertThat(status).as("%s: a secret in status", scenario).doesNotContain(secret);
      assertThat(eventTexts)
          .as("%s: a secret in Events", scenario)
          .noneMatch(e -> e.contains(secret));
    }
    return eventTexts.size();
  }

  /**
   * Every line the operator logs (with the messages of its causes) from {@link #capture()} to
   * {@link #close()}, for the check that no secret value is in the log.
   */
  static final class OperatorLog implements AutoCloseable {
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>
        appender = new ch.qos.logback.core.read.ListAppender<>();
    private final ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private OperatorLog() {
      appender.start();
      root.addAppender(appender);
    }

    static OperatorLog capture() {
      return new OperatorLog();
    }

    List<String> lines() {
      return List.copyOf(appender.list).stream()
          .map(
              line -> {
                StringBuilder text =
                    new StringBuilder(line.getLoggerName())
                        .append(' ')
                        .append(line.getFormattedMessage());
                for (var cause = line.getThrowableProxy();
                    cause != null;
                    cause = cause.getCause()) {
                  text.append('\n')
                      .append(cause.getClassName())
                      .append(": ")
                      .append(cause.getMessage());
                }
                return text.toString();
              })
          .toList();
    }

    @Override
    public void close() {
      root.detachAppender(appender);
    }
  }

  /** No secret value in any line the operator logged during the scenario. */
  static void checkLog(String scenario, OperatorLog log, Collection<String> secrets) {
    List<String> lines = log.lines();
    assertThat(lines).as("%s: operator log lines captured", scenario).isNotEmpty();
    for (String secret : secrets) {
      assertThat(lines)
          .as("%s: a secret in the operator log", scenario)
          .noneMatch(line -> line.contains(secret));
    }
    System.out.printf(
        "[invariants] %s: %d secret values absent from %d operator log lines%n",
        scenario, secrets.size(), lines.size());
  }

  /**
   * A kopia verb that changes the repository or its server users ({@code maintenance info} only
   * reads; {@code maintenance run} and {@code set} write).
   */
  static boolean writes(String verb) {
    return verb.matches(
        ".*\\b(create|set|add|delete|remove|change-password|gc|rewrite)\\b.*|maintenance run.*");
  }

  /**
   * kopia processes once a running operator's in-flight command (its resync's single read) has had
   * time to end: a process that was left behind is still there after 10 s, a read is not.
   */
  static long settledKopia() throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    long live = liveKopia();
    while (live > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      live = liveKopia();
    }
    return live;
  }

  static long liveKopia() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/kopia")).orElse(false))
        .count();
  }
}
