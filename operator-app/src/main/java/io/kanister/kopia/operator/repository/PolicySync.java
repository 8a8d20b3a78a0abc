package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.policy.InvalidPolicyException;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyListing;
import io.kanister.kopia.core.policy.PolicyTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Makes Kopia's policies equal the spec from one {@code policy list}: writes the targets that
 * differ, deletes targets the operator set earlier that the spec no longer lists, and leaves every
 * other client's policy alone, including ones this model cannot read.
 *
 * <p>Cost: one {@code policy list} when nothing drifted; each corrected target adds one {@code
 * policy set} and one {@code policy list}, each removed target one {@code policy delete}.
 */
final class PolicySync {
  /**
   * @param written targets whose policy was corrected
   * @param deleted formerly managed targets whose policy was removed
   * @param skipped managed targets whose current policy cannot be read: left as they are
   * @param foreign unreadable policies of targets the operator does not manage: left as they are
   * @param managed the targets the operator owns after this sync, in Kopia's display form
   */
  record Report(
      List<PolicyTarget> written,
      List<PolicyTarget> deleted,
      List<String> skipped,
      List<String> foreign,
      List<String> managed) {}

  private PolicySync() {}

  static Report sync(
      Kopia kopia, Map<PolicyTarget, Policy> desired, List<String> previouslyManaged) {
    PolicyListing listing = kopia.policies();
    List<PolicyTarget> written = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Set<String> managed = new TreeSet<>();
    for (Map.Entry<PolicyTarget, Policy> entry : desired.entrySet()) {
      PolicyTarget target = entry.getKey();
      managed.add(target.text());
      try {
        if (kopia.applyPolicy(target, entry.getValue(), listing)) {
          written.add(target);
        }
      } catch (InvalidPolicyException e) {
        // Another client wrote a value Kopia accepts and this model rejects: never overwrite it
        // on a guess, and never let it stop the other targets.
        skipped.add(e.getMessage());
      }
    }
    List<PolicyTarget> deleted = new ArrayList<>();
    for (String text : previouslyManaged) {
      if (managed.contains(text)) {
        continue;
      }
      PolicyTarget target;
      try {
        target = PolicyTarget.parse(text);
      } catch (InvalidPolicyException e) {
        continue; // Not a target the operator could have written.
      }
      // The global policy always exists in Kopia; without spec.policy it is simply unmanaged.
      if (target.kind() != PolicyTarget.Kind.GLOBAL && listing.defines(target)) {
        kopia.deletePolicy(target);
        deleted.add(target);
      }
    }
    Set<String> desiredTexts =
        desired.keySet().stream().map(PolicyTarget::text).collect(Collectors.toSet());
    List<String> foreign =
        listing.unreadable().stream()
            .filter(p -> !desiredTexts.contains(p.target()))
            .map(p -> p.target() + " (" + p.reason() + ")")
            .toList();
    return new Report(written, deleted, skipped, foreign, List.copyOf(managed));
  }
}
