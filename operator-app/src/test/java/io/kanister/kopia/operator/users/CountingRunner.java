package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts kopia invocations, and among them the user writes (add, set, delete). */
public final class CountingRunner implements KopiaRunner {
  private static final List<String> WRITES = List.of("add", "set", "delete");

  private final KopiaRunner delegate;
  private final AtomicInteger invocations = new AtomicInteger();
  private final AtomicInteger userWrites = new AtomicInteger();

  public CountingRunner(KopiaRunner delegate) {
    this.delegate = delegate;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    invocations.incrementAndGet();
    List<String> args = command.args();
    if (args.size() > 2
        && args.get(0).equals("server")
        && args.get(1).equals("users")
        && WRITES.contains(args.get(2))) {
      userWrites.incrementAndGet();
    }
    return delegate.run(command);
  }

  public int invocations() {
    return invocations.get();
  }

  public int userWrites() {
    return userWrites.get();
  }
}
