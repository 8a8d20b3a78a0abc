package io.kanister.kopia.operator.repository;

import io.kanister.controller.events.EventRecorder;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.model.repository.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns a refusal of the pinned repository and a policy sync into conditions and Events. */
final class KopiaSyncReport {
  /** Messages list at most this many targets, then a count: status stays small. */
  private static final int MAX_LISTED = 5;

  private KopiaSyncReport() {}

  /**
   * The storage does not hold the pinned repository: nothing was written, and the server is left
   * exactly as it is. ServerReady is False because a server cannot be called ready when the
   * repository it should serve is not where it was.
   */
  static void refused(
      Repository repository,
      RepositoryPin.Refusal refusal,
      RepositoryConditions status,
      EventRecorder events) {
    status.set(RepositoryReconciler.REPOSITORY_READY, false, refusal.reason(), refusal.message());
    status.set(
        RepositoryReconciler.SERVER_READY,
        false,
        refusal.reason(),
        "the server is left unchanged (not created, restarted or reconfigured) until the"
            + " repository identity is resolved; see RepositoryReady");
    status.unknown(
        RepositoryReconciler.POLICY_APPLIED,
        "WaitingForRepository",
        "no policy is written until the repository identity is resolved");
    events.warning(repository, refusal.reason(), refusal.message());
  }

  /**
   * PolicyApplied from a policy sync: False only when a managed target could not be read; foreign
   * policies of other clients are mentioned, never an error.
   *
   * @param steady a resync with unchanged inputs: Normal Events only for actual corrections
   */
  static void policies(
      Repository repository,
      PolicySync.Report report,
      RepositoryConditions status,
      EventRecorder events,
      boolean steady) {
    if (!report.written().isEmpty()) {
      events.normal(
          repository,
          "PolicyApplied",
          (steady ? "put back the Kopia policy of " : "updated the Kopia policy of ")
              + targets(report.written())
              + (steady ? " (changed outside the operator)" : ""));
    }
    if (!report.deleted().isEmpty()) {
      events.normal(
          repository,
          "PolicyRemoved",
          "removed the Kopia policy of "
              + targets(report.deleted())
              + ": no longer listed in spec.policies");
    }
    String foreign =
        report.foreign().isEmpty()
            ? ""
            : "; left as they are: "
                + report.foreign().size()
                + " policies of other clients that the operator cannot read: "
                + listed(report.foreign());
    if (!report.foreign().isEmpty() && !steady) {
      events.normal(
          repository,
          "ForeignPolicySkipped",
          "left "
              + report.foreign().size()
              + " policies of other clients as they are (the operator cannot read them): "
              + listed(report.foreign()));
    }
    if (!report.skipped().isEmpty()) {
      String message =
          listed(report.skipped())
              + ". These spec.policies targets were left as they are; the others match the spec."
              + " Fix or delete those policies (kopia policy set / kopia policy delete), or remove"
              + " the targets from spec.policies"
              + foreign;
      status.set(RepositoryReconciler.POLICY_APPLIED, false, "PolicyNotReadable", message);
      events.warning(repository, "PolicyNotReadable", message);
      return;
    }
    status.set(
        RepositoryReconciler.POLICY_APPLIED,
        true,
        "Applied",
        "the policies match the spec" + foreign);
  }

  private static String targets(List<PolicyTarget> targets) {
    return listed(targets.stream().map(PolicyTarget::text).toList());
  }

  private static String listed(List<String> items) {
    List<String> shown = new ArrayList<>(items.subList(0, Math.min(items.size(), MAX_LISTED)));
    if (items.size() > MAX_LISTED) {
      shown.add("and " + (items.size() - MAX_LISTED) + " more");
    }
    return shown.stream().collect(Collectors.joining(", "));
  }
}
