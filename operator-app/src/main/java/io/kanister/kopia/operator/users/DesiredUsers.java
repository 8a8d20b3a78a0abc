package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users the server should have, the users that were asked for but cannot be served, and the
 * origins whose recorded users must be kept as they are because their source could not be read this
 * pass (see {@link ManagedUsers#held}).
 */
public record DesiredUsers(
    Map<KopiaUsername, DesiredUser> users, List<UserFailure> failures, Set<String> holds) {
  public DesiredUsers {
    users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    failures = List.copyOf(failures);
    holds = Collections.unmodifiableSet(new LinkedHashSet<>(holds));
  }

  public DesiredUsers(Map<KopiaUsername, DesiredUser> users, List<UserFailure> failures) {
    this(users, failures, Set.of());
  }

  public static DesiredUsers empty() {
    return new DesiredUsers(Map.of(), List.of());
  }

  /** Nothing served from a source that failed: its failure, and a hold on what it had. */
  public static DesiredUsers held(UserFailure failure, String hold) {
    return new DesiredUsers(Map.of(), List.of(failure), Set.of(hold));
  }

  /**
   * Both sets together. A username asked for twice is served from the first source; the later one
   * is reported as a {@link FailureReasons#DUPLICATE_USER}.
   */
  public DesiredUsers and(DesiredUsers later) {
    Map<KopiaUsername, DesiredUser> merged = new LinkedHashMap<>(users);
    List<UserFailure> allFailures = new ArrayList<>(failures);
    for (DesiredUser user : later.users().values()) {
      DesiredUser first = merged.putIfAbsent(user.username(), user);
      if (first != null) {
        allFailures.add(duplicate(user, first));
      }
    }
    allFailures.addAll(later.failures());
    Set<String> allHolds = new LinkedHashSet<>(holds);
    allHolds.addAll(later.holds());
    return new DesiredUsers(merged, allFailures, allHolds);
  }

  static UserFailure duplicate(DesiredUser ignored, DesiredUser served) {
    return new UserFailure(
        ignored.username().value(),
        FailureReasons.DUPLICATE_USER,
        ignored.source()
            + " asks for the same Kopia user as "
            + served.source()
            + ", which is served; rename one of them");
  }

  /** Users that should exist, served or not: the denominator of {@code status.users.summary}. */
  public int requestedCount() {
    return users.size() + failures.size();
  }

  /**
   * A server access user the repository server should have.
   *
   * @param source where the user comes from, for messages (e.g. {@code Secret kanister/access, key
   *     mysql-blue} or {@code StatefulSet monitoring/db}); never a secret
   * @param origin the same, as recorded in {@link ManagedUsers} ({@code secret/access/mysql-blue})
   */
  public record DesiredUser(
      KopiaUsername username, SecretValue password, String source, String origin) {
    @Override
    public String toString() {
      return "DesiredUser[" + username + " from " + source + "]";
    }
  }
}
