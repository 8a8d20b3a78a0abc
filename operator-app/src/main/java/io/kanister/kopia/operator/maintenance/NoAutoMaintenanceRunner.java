package io.kanister.kopia.operator.maintenance;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds {@code --no-auto-maintenance} to every command of the operator. The operator owns its
 * repositories' maintenance, so without it Kopia would run maintenance after any of the operator's
 * writes (a policy or user change), inside that command's 5-minute timeout, where a long full run
 * is cut off; and alongside a scheduled run, Kopia's local lock would make the scheduled one a
 * silent no-op. Maintenance runs only from {@link MaintenanceExecutor}.
 */
public final class NoAutoMaintenanceRunner implements KopiaRunner {
  static final String FLAG = "--no-auto-maintenance";

  private final KopiaRunner delegate;

  public NoAutoMaintenanceRunner(KopiaRunner delegate) {
    this.delegate = delegate;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    if (command.args().contains(FLAG)) {
      return delegate.run(command);
    }
    // At the end: kingpin takes global flags anywhere, and the verb (for messages) stays first.
    List<String> args = new ArrayList<>(command.args());
    args.add(FLAG);
    return delegate.run(KopiaCommand.builder().from(command).args(args).build());
  }
}
