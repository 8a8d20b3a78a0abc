package io.kanister.kopia.operator.fencing;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door every kopia command of the operator goes through, so that a leader that lost its
 * Lease can shut it: {@link #fence()} refuses every later command and kills the running ones at
 * once (SIGKILL, no grace: a successor may be about to write to the same repository). Whatever pool
 * or step submitted the command (reconcile pass, users pool, maintenance) gets a {@link
 * KopiaCancelledException}.
 */
public final class FencedKopiaRunner implements KopiaRunner {
  private static final Logger LOG = LoggerFactory.getLogger(FencedKopiaRunner.class);

  /** How long {@link #fence()} waits for the killed commands' callers to see it. */
  static final Duration KILL_WAIT = Duration.ofMillis(500);

  private final KopiaRunner delegate;
  private final Set<Thread> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean fenced;

  public FencedKopiaRunner(KopiaRunner delegate) {
    this.delegate = delegate;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    if (fenced) {
      throw new KopiaCancelledException(command.verb());
    }
    Thread caller = Thread.currentThread();
    inFlight.add(caller);
    try {
      if (fenced) {
        throw new KopiaCancelledException(command.verb());
      }
      return delegate.run(command);
    } finally {
      inFlight.remove(caller);
      synchronized (inFlight) {
        inFlight.notifyAll();
      }
    }
  }

  public boolean isFenced() {
    return fenced;
  }

  /** Commands running now. */
  public int inFlight() {
    return inFlight.size();
  }

  /**
   * Refuses every later command and kills the running ones; returns once they have returned or
   * after {@link #KILL_WAIT}. The kill itself is immediate when the delegate is the process runner;
   * any other runner has its callers interrupted.
   *
   * @return how many commands were running
   */
  public int fence() {
    fenced = true;
    int running = inFlight.size();
    if (delegate instanceof ProcessKopiaRunner processes) {
      processes.shutDown(Duration.ZERO);
    }
    inFlight.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    synchronized (inFlight) {
      while (!inFlight.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          inFlight.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    LOG.warn(
        "fenced: kopia refused from now on; {} running command(s) killed, {} still returning",
        running,
        inFlight.size());
    return running;
  }
}
