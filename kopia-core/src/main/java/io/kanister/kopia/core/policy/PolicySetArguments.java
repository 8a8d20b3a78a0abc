package io.kanister.kopia.core.policy;

import java.util.ArrayList;
import java.util.List;

/** Renders a whole {@link Policy} as the arguments of {@code kopia policy set}. */
public final class PolicySetArguments {
  private PolicySetArguments() {}

  /**
   * The target argument ({@code --global} or e.g. {@code user@host:/path}) followed by one flag per
   * defined field, in a fixed order. Applied to a target without a defined policy, the result
   * defines exactly {@code policy}; applied to a target that already has one, fields absent here
   * are left as they are and list items are only added. Use {@link PolicyDiff} to converge.
   *
   * <p>For {@link Policy#empty()} only the target is returned; Kopia rejects that with "no changes
   * specified".
   *
   * @throws InvalidPolicyException if {@code policy} cannot be written to this kind of target
   */
  public static List<String> of(PolicyTarget target, Policy policy) {
    PolicyDiff.checkFitsTarget(target, policy);
    List<String> args = new ArrayList<>();
    args.add(target.cliArgument());
    args.addAll(PolicyDiff.diff(policy, Policy.empty()));
    return List.copyOf(args);
  }
}
