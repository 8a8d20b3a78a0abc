package io.kanister.kopia.operator.bounds;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.error.KopiaFailure;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds kopia processes: at most {@code perRepository} at once for one repository workspace, and
 * at most {@code global} over all. Both queues are first come, first served, and a command takes
 * its repository's permit before a global one, so one Repository whose storage hangs holds at most
 * {@code perRepository} of the global permits: {@code global - perRepository} are always left for
 * the others, in arrival order.
 *
 * <p>It also carries the pass deadline ({@link PassDeadline}): a thread whose pass ran out has its
 * kopia killed (the interrupt does that) and every kopia it runs after fails at once with a {@code
 * TIMEOUT} failure naming the deadline, so the Repository's condition says what happened.
 */
public final class BoundedKopiaRunner implements KopiaRunner {
  private final KopiaRunner delegate;
  private final Semaphore global;
  private final int perRepository;
  private final Map<Path, Slot> slots = new HashMap<>();
  private final Map<Thread, Duration> expired = new ConcurrentHashMap<>();
  private final Set<Thread> inRun = new HashSet<>();

  /** One workspace's permits and how many commands use them (the entry goes with the last). */
  private static final class Slot {
    final Semaphore permits;
    int users;

    Slot(int permits) {
      this.permits = new Semaphore(permits, true);
    }
  }

  public BoundedKopiaRunner(KopiaRunner delegate, int global, int perRepository) {
    if (global < 1 || perRepository < 1 || perRepository > global) {
      throw new IllegalArgumentException("need 1 <= perRepository <= global");
    }
    this.delegate = delegate;
    this.global = new Semaphore(global, true);
    this.perRepository = perRepository;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    failIfExpired(command);
    enter();
    try {
      return bounded(command);
    } finally {
      leave();
    }
  }

  private KopiaResult bounded(KopiaCommand command) {
    Optional<Path> workspace = workspaceOf(command);
    Slot slot = workspace.map(this::join).orElse(null);
    try {
      if (slot != null) {
        slot.permits.acquire();
      }
      try {
        global.acquire();
        try {
          return delegate.run(command);
        } catch (KopiaCancelledException e) {
          failIfExpired(command);
          throw e;
        } finally {
          global.release();
        }
      } finally {
        if (slot != null) {
          slot.permits.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failIfExpired(command);
      throw new KopiaCancelledException(command.verb());
    } finally {
      workspace.ifPresent(this::leave);
    }
  }

  /** Kopia processes running or allowed to start now, over all repositories. */
  public int availablePermits() {
    return global.availablePermits();
  }

  /** Commands waiting for a global permit. */
  public int waiting() {
    return global.getQueueLength();
  }

  /**
   * From now on kopia on {@code thread} fails with a timeout naming {@code deadline}; if it runs
   * (or waits for) kopia now, it is interrupted, which stops that kopia. A thread elsewhere (an API
   * call) is left alone: its interrupt would make the pass's own status write fail.
   */
  synchronized void expire(Thread thread, Duration deadline) {
    expired.put(thread, deadline);
    if (inRun.contains(thread)) {
      thread.interrupt();
    }
  }

  private synchronized void enter() {
    inRun.add(Thread.currentThread());
  }

  /** Our interrupt must not outlive the kopia it stopped: the pass goes on to report it. */
  private synchronized void leave() {
    inRun.remove(Thread.currentThread());
    if (expired.containsKey(Thread.currentThread())) {
      Thread.interrupted();
    }
  }

  void clearExpired(Thread thread) {
    expired.remove(thread);
  }

  private void failIfExpired(KopiaCommand command) {
    Duration deadline = expired.get(Thread.currentThread());
    if (deadline != null) {
      throw new KopiaException(
          command,
          new KopiaFailure(
              KopiaErrorKind.TIMEOUT,
              OptionalInt.empty(),
              "the reconcile pass ran longer than its deadline of "
                  + PassDeadline.describe(deadline)
                  + " (--pass-deadline), so its kopia was stopped; it is retried with backoff"));
    }
  }

  private synchronized Slot join(Path workspace) {
    Slot slot = slots.computeIfAbsent(workspace, w -> new Slot(perRepository));
    slot.users++;
    return slot;
  }

  private synchronized void leave(Path workspace) {
    Slot slot = slots.get(workspace);
    if (slot != null && --slot.users == 0) {
      slots.remove(workspace);
    }
  }

  /** The workspace folder the command's config file is in; none for a command without one. */
  static Optional<Path> workspaceOf(KopiaCommand command) {
    String config = command.environment().get("KOPIA_CONFIG_PATH");
    if (config == null) {
      config =
          command.args().stream()
              .filter(a -> a.startsWith("--config-file="))
              .map(a -> a.substring("--config-file=".length()))
              .findFirst()
              .orElse(null);
    }
    if (config == null || config.isBlank()) {
      return Optional.empty();
    }
    Path parent = Path.of(config).toAbsolutePath().normalize().getParent();
    return Optional.ofNullable(parent);
  }
}
