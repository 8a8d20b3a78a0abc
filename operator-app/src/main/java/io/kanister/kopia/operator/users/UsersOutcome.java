package io.kanister.kopia.operator.users;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One reconcile's users work: the convergence, and when the next token rotation is due (empty
 * without dynamic users).
 */
public record UsersOutcome(ConvergenceResult result, Optional<Instant> nextRotation) {
  /** How long the reconciler should wait before the next rotation; zero when it is overdue. */
  public Optional<Duration> requeueAfter(Instant now) {
    return nextRotation.map(due -> due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO);
  }
}
