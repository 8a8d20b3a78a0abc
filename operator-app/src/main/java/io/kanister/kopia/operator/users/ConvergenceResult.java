package io.kanister.kopia.operator.users;

import io.kanister.kopia.model.repository.FailedUser;
import io.kanister.kopia.model.repository.UsersStatus;
import java.util.List;
import java.util.Optional;

/**
 * What one convergence did, for the {@code UsersReady} condition and {@code status.users}.
 *
 * @param requested users asked for, served or not
 * @param registered desired users the server now has with the desired password
 * @param held recorded users kept as they are because their source failed this pass
 * @param kopiaWrites add, set and delete commands run (0 on a resync with nothing changed)
 * @param refreshed whether {@code server refresh} ran (at most once per convergence)
 * @param refreshProblem why the refresh failed; the next convergence retries it
 */
public record ConvergenceResult(
    int requested,
    int registered,
    int added,
    int updated,
    int deleted,
    int unchanged,
    int held,
    List<UserFailure> failures,
    int kopiaWrites,
    boolean refreshed,
    Optional<String> refreshProblem) {
  /** Failures named in the condition message; {@code status.users.failed} lists more. */
  static final int MAX_NAMED = 5;

  public ConvergenceResult {
    failures = List.copyOf(failures);
  }

  /** True when every requested user is served and the server has re-read them. */
  public boolean ready() {
    return failures.isEmpty() && refreshProblem.isEmpty();
  }

  /** A user failed for a reason of the moment, or the server did not re-read its users. */
  public boolean worthRetryingSoon() {
    return refreshProblem.isPresent()
        || failures.stream().anyMatch(f -> FailureReasons.isOfTheMoment(f.reason()));
  }

  /**
   * The {@code UsersReady} reason when not ready: the failures' reason when they share one (e.g.
   * {@code AccessSecretNotFound}), else {@code SomeUsersFailed}.
   */
  public String reason() {
    if (ready()) {
      return "Registered";
    }
    if (failures.isEmpty()) {
      return "ServerRefreshFailed";
    }
    String first = failures.get(0).reason();
    return failures.stream().allMatch(f -> f.reason().equals(first)) ? first : "SomeUsersFailed";
  }

  public UsersStatus toStatus() {
    return UsersStatus.of(
        requested, registered, failures.stream().map(UserFailure::toFailedUser).toList());
  }

  /**
   * A one-line, secret-free summary for the condition message: counts, the first failures with the
   * first one's message (how to fix it), never longer than a few hundred characters per failure.
   */
  public String summary() {
    StringBuilder text =
        new StringBuilder()
            .append(registered)
            .append('/')
            .append(requested)
            .append(" users registered");
    if (held > 0) {
      text.append("; ").append(held).append(" held with their last password");
    }
    if (!failures.isEmpty()) {
      text.append("; failed: ");
      int named = Math.min(failures.size(), MAX_NAMED);
      for (int i = 0; i < named; i++) {
        UserFailure failure = failures.get(i);
        text.append(i == 0 ? "" : ", ")
            .append(failure.username())
            .append(" (")
            .append(failure.reason())
            .append(')');
      }
      if (failures.size() > named) {
        text.append(" and ").append(failures.size() - named).append(" more");
      }
      text.append(". ").append(failures.get(0).message());
      if (failures.size() > 1) {
        text.append(". See status.users.failed");
      }
    }
    refreshProblem.ifPresent(problem -> text.append("; server refresh failed: ").append(problem));
    return text.toString();
  }

  /**
   * A user that cannot be served, and why. Messages never hold a password or token.
   *
   * @param username the Kopia username, or the workload identifier when none could be derived
   * @param reason a CamelCase word from {@link FailureReasons}
   * @param message bounded to {@value FailureReasons#MAX_MESSAGE} characters
   */
  public record UserFailure(String username, String reason, String message) {
    public UserFailure {
      username = FailureReasons.bounded(username, 253);
      message = FailureReasons.bounded(message, FailureReasons.MAX_MESSAGE);
    }

    public FailedUser toFailedUser() {
      return new FailedUser(username, reason, message);
    }
  }
}
