package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.user.KopiaUsername;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The users the server should have, and the users that were asked for but cannot be served. */
public record DesiredUsers(Map<KopiaUsername, DesiredUser> users, List<UserFailure> failures) {
  public DesiredUsers {
    users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    failures = List.copyOf(failures);
  }

  public static DesiredUsers empty() {
    return new DesiredUsers(Map.of(), List.of());
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
    return new DesiredUsers(merged, allFailures);
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
}
