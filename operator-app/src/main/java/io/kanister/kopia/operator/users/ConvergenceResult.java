package io.kanister.kopia.operator.users;

import io.kanister.kopia.model.repository.UsersStatus;
import java.util.List;
import java.util.Optional;

/**
 * What one convergence did, for the {@code UsersReady} condition and {@code status.users}.
 *
 * @param requested users asked for, served or not
 * @param registered desired users the server now has with the desired password
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
    List<UserFailure> failures,
    int kopiaWrites,
    boolean refreshed,
    Optional<String> refreshProblem) {
  public ConvergenceResult {
    failures = List.copyOf(failures);
  }

  /** True when every requested user is served and the server has re-read them. */
  public boolean ready() {
    return failures.isEmpty() && refreshProblem.isEmpty();
  }

  public UsersStatus toStatus() {
    return UsersStatus.of(
        requested, registered, failures.stream().map(UserFailure::toFailedUser).toList());
  }

  /** A one-line, secret-free summary for the condition message. */
  public String summary() {
    StringBuilder text =
        new StringBuilder()
            .append(registered)
            .append('/')
            .append(requested)
            .append(" users registered");
    if (!failures.isEmpty()) {
      text.append("; failed: ");
      for (int i = 0; i < failures.size(); i++) {
        UserFailure failure = failures.get(i);
        text.append(i == 0 ? "" : ", ")
            .append(failure.username())
            .append(" (")
            .append(failure.reason())
            .append(')');
      }
    }
    refreshProblem.ifPresent(problem -> text.append("; server refresh failed: ").append(problem));
    return text.toString();
  }
}
