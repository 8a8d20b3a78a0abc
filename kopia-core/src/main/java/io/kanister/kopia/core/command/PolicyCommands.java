package io.kanister.kopia.core.command;

import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicySetArguments;
import io.kanister.kopia.core.policy.PolicyTarget;
import java.util.ArrayList;
import java.util.List;

/** {@code kopia policy ...} for global, host, user and path targets. */
public final class PolicyCommands {
  private PolicyCommands() {}

  /** Sets every field the policy defines on the target. */
  public static KopiaCommand set(PolicyTarget target, Policy policy) {
    return setArguments(PolicySetArguments.of(target, policy));
  }

  /**
   * {@code policy set} with prepared arguments (target first), typically from {@code
   * PolicyDiff.diff(target, desired, actual)}.
   */
  public static KopiaCommand setArguments(List<String> targetAndFlags) {
    List<String> args = new ArrayList<>(List.of("policy", "set"));
    args.addAll(targetAndFlags);
    return KopiaCommand.of(args);
  }

  /** The effective (merged) policy of the target, as JSON. */
  public static KopiaCommand show(PolicyTarget target) {
    return KopiaCommand.of(List.of("policy", "show", target.cliArgument(), "--json"));
  }

  /** Every defined policy with its target, as JSON; the source of truth for diffs. */
  public static KopiaCommand list() {
    return KopiaCommand.of(List.of("policy", "list", "--json"));
  }

  public static KopiaCommand delete(PolicyTarget target) {
    return KopiaCommand.of(List.of("policy", "delete", target.cliArgument()));
  }
}
