package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ServerClientCommands;
import io.kanister.kopia.core.command.ServerCredentials;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.tls.CertificateFingerprint;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;
import io.kanister.kopia.core.user.UserProfile;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import io.kanister.kopia.operator.users.UsersPlanner.UserChange;
import io.kanister.kopia.operator.users.UsersPlanner.UsersPlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings one repository's users to the desired set: lists them once, plans, runs the writes with
 * bounded parallelism, then refreshes the server once if anything was written (or an earlier
 * process wrote and was stopped before its refresh: see {@link ManagedUsers#refreshDue()}). Holds
 * the per-user verification cache, so keep one instance per repository for the operator's lifetime;
 * the cache's digests are also kept in the record, so that a restarted operator verifies nothing
 * that did not change (see {@link VerifiedPasswords}).
 *
 * <p>A stop (the kopia runner shut down, or the thread interrupted) ends a convergence within
 * moments: no new password is hashed or written, and the convergence throws {@link
 * KopiaCancelledException} after recording what was written.
 */
public final class UsersConverger {
  public static final int DEFAULT_PARALLELISM = 8;
  static final int MINIMUM_PARALLELISM = 4;

  private final int parallelism;
  private final VerifiedPasswords.KeySource keys;
  private final AtomicInteger derivations = new AtomicInteger();
  private volatile VerifiedPasswords verified;

  /**
   * A refresh this process owes, beside the record's {@link ManagedUsers#refreshDue()}: the record
   * can be lost (its ConfigMap deleted after a failed refresh), and then only this remembers that
   * the server has not re-read the users written.
   */
  private volatile boolean refreshPending;

  /** With a key for this process only: after a restart every stored password is verified once. */
  public UsersConverger(int parallelism) {
    this(parallelism, VerifiedPasswords.KeySource.ephemeral());
  }

  /**
   * @param keys the key of the digests persisted in the record; the same key after a restart lets
   *     the new process trust them
   */
  public UsersConverger(int parallelism, VerifiedPasswords.KeySource keys) {
    if (parallelism < MINIMUM_PARALLELISM) {
      throw new IllegalArgumentException(
          "user write parallelism must be at least " + MINIMUM_PARALLELISM);
    }
    this.parallelism = parallelism;
    this.keys = keys;
  }

  /** PBKDF2 verifications run by this converger so far (for benchmarks and tests). */
  public int passwordDerivations() {
    return derivations.get();
  }

  /**
   * @param kopia connected directly to the repository (the operator's own connection)
   * @param record which users the operator created: only those are ever deleted. Every user about
   *     to be written is recorded before the write, so a crash in between cannot leave an
   *     operator-made user that the operator no longer knows.
   * @throws KopiaException when the users cannot even be listed
   */
  public ConvergenceResult converge(
      Kopia kopia, DesiredUsers desired, ManagedUsers.Store record, ServerRefresher refresher) {
    ManagedUsers managed = record.read();
    VerifiedPasswords verified = verifiedPasswords();
    verified.recall(managed.verified());
    List<UserProfile> existing = kopia.users();
    Set<String> held = new HashSet<>();
    desired.failures().forEach(f -> held.add(f.username()));
    existing.stream()
        .map(UserProfile::username)
        .filter(u -> managed.held(u, desired.holds()))
        .forEach(u -> held.add(u.value()));
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, UsersConverger::daemon);
    try {
      UsersPlan plan =
          UsersPlanner.plan(desired.users(), existing, managed, verified::matches, pool, held);
      verified.retainOnly(desired.users().keySet());
      ManagedUsers ahead =
          recordAhead(managed, desired, existing)
              .withVerified(digests(verified, plan.unchanged(), plan.held(), managed))
              .withRefreshDue(managed.refreshDue() || !plan.changes().isEmpty());
      if (!ahead.equals(managed)) {
        record.write(ahead);
      }
      List<UserFailure> failures = Collections.synchronizedList(new ArrayList<>());
      List<KopiaUsername> deleted = Collections.synchronizedList(new ArrayList<>());
      List<KopiaUsername> current = Collections.synchronizedList(new ArrayList<>(plan.unchanged()));
      AtomicBoolean stopping = new AtomicBoolean();
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (UserChange change : plan.changes()) {
        writes.add(
            CompletableFuture.runAsync(
                () -> {
                  if (stopping.get() || Thread.currentThread().isInterrupted()) {
                    // Stopping: hash no more passwords (0.3 s of CPU each) for writes that fail.
                    throw new KopiaCancelledException("server users " + change.kind());
                  }
                  try {
                    apply(verified, kopia, change);
                    if (change.kind() == UserChange.Kind.DELETE) {
                      deleted.add(change.username());
                    } else {
                      current.add(change.username());
                    }
                  } catch (KopiaCancelledException e) {
                    stopping.set(true);
                    throw e;
                  } catch (KopiaException e) {
                    failures.add(
                        new UserFailure(
                            change.username().value(),
                            FailureReasons.KOPIA_WRITE_FAILED,
                            e.getMessage()));
                  }
                },
                pool));
      }
      try {
        awaitAll(writes, pool);
      } catch (KopiaCancelledException e) {
        recordQuietly(record, ahead.without(deleted), ahead.verified(), current, verified);
        throw e;
      }
      Optional<String> refreshProblem = Optional.empty();
      boolean refreshed = false;
      // The record's flag also covers writes of a process stopped before its refresh (a fenced
      // leader): without it the next one, finding every user present, would write and refresh
      // nothing, and the server would refuse the new users until its own periodic refresh.
      if (ahead.refreshDue() || refreshPending) {
        refreshPending = true;
        try {
          refresher.refresh();
          refreshed = true;
          refreshPending = false;
        } catch (RuntimeException e) {
          refreshProblem = Optional.of(FailureReasons.describe(e));
        }
      }
      ManagedUsers after =
          ahead
              .without(deleted)
              .withVerified(digests(verified, current, plan.held(), managed))
              .withRefreshDue(!refreshed && (ahead.refreshDue() || refreshPending));
      if (!after.equals(ahead)) {
        record.write(after);
      }
      Set<String> desiredNames = new HashSet<>();
      desired.users().keySet().forEach(u -> desiredNames.add(u.value()));
      int failedWrites =
          (int) failures.stream().filter(f -> desiredNames.contains(f.username())).count();
      List<UserFailure> allFailures = new ArrayList<>(desired.failures());
      allFailures.addAll(failures);
      return new ConvergenceResult(
          desired.requestedCount(),
          desired.users().size() - failedWrites,
          (int) plan.count(UserChange.Kind.ADD),
          (int) plan.count(UserChange.Kind.SET),
          (int) plan.count(UserChange.Kind.DELETE),
          plan.unchanged().size(),
          plan.held().size(),
          allFailures,
          plan.changes().size(),
          refreshed,
          refreshProblem);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The record before any write: every desired user under its current origin (a user an access
   * Secret names is the operator's from then on, even one it found), and no user that neither
   * exists nor is desired any more.
   */
  private static ManagedUsers recordAhead(
      ManagedUsers managed, DesiredUsers desired, List<UserProfile> existing) {
    Set<KopiaUsername> present = new HashSet<>(desired.users().keySet());
    existing.forEach(p -> present.add(p.username()));
    List<KopiaUsername> gone =
        managed.origins().keySet().stream().filter(u -> !present.contains(u)).toList();
    Map<KopiaUsername, String> origins = new LinkedHashMap<>();
    desired.users().values().forEach(u -> origins.put(u.username(), u.origin()));
    return managed.without(gone).with(origins);
  }

  /**
   * The digests to record: of the users found or made current this pass, and the recorded ones of
   * held users (their source failed, so they were not checked; their stored hash is unchanged).
   */
  private static Map<KopiaUsername, String> digests(
      VerifiedPasswords verified,
      List<KopiaUsername> current,
      List<KopiaUsername> held,
      ManagedUsers managed) {
    Map<KopiaUsername, String> digests = new LinkedHashMap<>();
    held.forEach(
        user -> {
          String digest = managed.verified().get(user);
          if (digest != null) {
            digests.put(user, digest);
          }
        });
    digests.putAll(verified.digests(current));
    return digests;
  }

  private VerifiedPasswords verifiedPasswords() {
    byte[] key = keys.key();
    VerifiedPasswords known = verified;
    if (known == null || !known.usesKey(key)) {
      known = new VerifiedPasswords(key, derivations);
      verified = known;
    }
    return known;
  }

  /**
   * Waits for every task, interruptibly (a stop must not wait for 500 hashes). A task's failure is
   * rethrown as it is; the first cancellation ends the wait and the tasks not yet started.
   */
  static void awaitAll(List<? extends CompletableFuture<?>> tasks, ExecutorService pool) {
    try {
      CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get();
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw new KopiaCancelledException("server users");
    } catch (ExecutionException e) {
      pool.shutdownNow();
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * After a stop: keep what was written known, so the next process neither deletes nor re-verifies
   * it.
   */
  private static void recordQuietly(
      ManagedUsers.Store record,
      ManagedUsers remaining,
      Map<KopiaUsername, String> held,
      List<KopiaUsername> current,
      VerifiedPasswords verified) {
    Map<KopiaUsername, String> digests = new LinkedHashMap<>(held);
    synchronized (current) {
      digests.putAll(verified.digests(List.copyOf(current)));
    }
    ManagedUsers after = remaining.withVerified(digests);
    try {
      record.write(after);
    } catch (RuntimeException e) {
      // Stopping anyway: the next process verifies these users once more.
    }
  }

  private static void apply(VerifiedPasswords verified, Kopia kopia, UserChange change) {
    switch (change.kind()) {
      case ADD -> {
        UserPasswordHash hash = UserPasswordHash.create(change.password());
        kopia.addUser(change.username(), hash);
        verified.remember(change.username(), change.password(), hash);
      }
      case SET -> {
        UserPasswordHash hash = UserPasswordHash.create(change.password());
        kopia.setUser(change.username(), hash);
        verified.remember(change.username(), change.password(), hash);
      }
      case DELETE -> {
        kopia.deleteUser(change.username());
        verified.forget(change.username());
      }
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "kopia-users");
    thread.setDaemon(true);
    return thread;
  }

  /** Makes the repository server re-read its users now ({@code kopia server refresh}). */
  @FunctionalInterface
  public interface ServerRefresher {
    /**
     * @throws RuntimeException with a secret-free message when the server cannot be refreshed
     */
    void refresh();
  }

  /** {@code kopia server refresh} against the server's control API, as the control user. */
  public static final class KopiaServerRefresher implements ServerRefresher {
    private final KopiaRunner runner;
    private final String url;
    private final CertificateFingerprint fingerprint;
    private final ServerCredentials credentials;

    public KopiaServerRefresher(
        KopiaRunner runner,
        String url,
        CertificateFingerprint fingerprint,
        ServerCredentials credentials) {
      this.runner = runner;
      this.url = url;
      this.fingerprint = fingerprint;
      this.credentials = credentials;
    }

    @Override
    public void refresh() {
      runner.run(ServerClientCommands.refresh(url, fingerprint, credentials));
    }
  }
}
