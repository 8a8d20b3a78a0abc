package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.user.KopiaUsername;
import java.util.List;

/**
 * What to write to reach the desired users.
 *
 * @param unchanged desired users whose stored password already matches
 * @param foreign existing users the operator did not record (adopted, people's, other tools'), left
 *     alone
 * @param held managed users nobody asks for this pass whose source failed: kept as they are
 */
public record UsersPlan(
    List<UserChange> changes,
    List<KopiaUsername> unchanged,
    List<KopiaUsername> foreign,
    List<KopiaUsername> held) {
  public UsersPlan {
    held = List.copyOf(held);
    changes = List.copyOf(changes);
    unchanged = List.copyOf(unchanged);
    foreign = List.copyOf(foreign);
  }

  public long count(UserChange.Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }
}
