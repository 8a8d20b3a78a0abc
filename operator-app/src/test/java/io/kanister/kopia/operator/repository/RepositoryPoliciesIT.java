package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.EnsureOutcome;
import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.command.ClientIdentity;
import io.kanister.kopia.core.command.PolicyCommands;
import io.kanister.kopia.core.policy.PolicyListing;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.storage.FilesystemLocation;
import io.kanister.kopia.model.policy.RepositoryPolicySpec;
import io.kanister.kopia.model.policy.TargetedPolicySpec;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec.policies on the real parts, with a second real kopia client playing the data mover: a policy
 * the model cannot read never stops reconciliation, removing an entry removes only that Kopia
 * policy, and a policy changed by another client is put back by the next resync, at the cost of one
 * {@code manifest list} when nothing drifted (the policy manifests are those of the last pass that
 * found the policies converged, so no {@code policy list} runs).
 */
@RealKopia
@RealKubernetes
class RepositoryPoliciesIT {
  private static final String NAME = "repository-app";
  private static final String ALICE = "alice@db:/data";
  private static final String BOB = "bob@db:/logs";
  private static final String FOREIGN = "mover@db:/foreign";

  @Test
  void foreignPoliciesRemovalAndDrift(KopiaSandbox sandbox, TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    Path storage = sandbox.newDir("repository");
    try (RealKopiaReconciler operator =
        new RealKopiaReconciler(client, ns.name(), sandbox.binary(), sandbox.root())) {
      operator.filesystemLocation("app-location", storage);
      operator.create(
          "app",
          "app-location",
          null,
          spec ->
              spec.setPolicies(new ArrayList<>(List.of(keepDaily(ALICE, 14), keepLatest(BOB, 3)))));
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "PolicyApplied")).isEqualTo("True/Applied");
      assertThat(operator.get(NAME).getStatus().getRepository().getManagedPolicies())
          .containsExactly(ALICE, BOB);

      Kopia mover = RepositoryIdentityIT.client(sandbox, "mover");
      assertThat(
              mover.ensureRepository(
                  FilesystemLocation.of(storage.toString()), new ClientIdentity("mover", "db")))
          .isEqualTo(EnsureOutcome.ADOPTED);
      assertThat(definedKeepDaily(mover, ALICE)).isEqualTo(14);

      // The pass after the writes lists the policies once more (its writes made new manifests),
      // writing nothing; a steady resync then runs one manifest list, nothing else.
      assertThat(operator.pass(NAME)).containsExactly("manifest list", "policy list");
      List<String> steady = operator.pass(NAME);
      System.out.printf(
          "[figures] steady resync: %d kopia invocations %s%n", steady.size(), steady);
      assertThat(steady).containsExactly("manifest list");

      // A data mover's own policy that Kopia accepts and the model rejects.
      mover.run(PolicyCommands.setArguments(List.of(FOREIGN, "--max-parallel-file-reads=0")));
      assertThat(mover.policies().unreadable())
          .extracting(PolicyListing.Unreadable::target)
          .containsExactly(FOREIGN);
      List<String> withForeign = operator.pass(NAME);
      assertThat(withForeign).containsExactly("manifest list", "policy list");
      assertThat(operator.condition(NAME, "PolicyApplied")).isEqualTo("True/Applied");
      assertThat(operator.message(NAME, "PolicyApplied"))
          .contains(FOREIGN)
          .contains("maxParallelFileReads");
      assertThat(operator.condition(NAME, "RepositoryReady")).isEqualTo("True/Ready");

      // Drift on a managed policy is put back by the next resync.
      mover.run(PolicyCommands.setArguments(List.of(ALICE, "--keep-daily=3")));
      List<String> drift = operator.pass(NAME);
      System.out.printf(
          "[figures] resync correcting one drifted policy: %d kopia invocations %s%n",
          drift.size(), drift);
      assertThat(drift)
          .containsExactly("manifest list", "policy list", "policy set", "policy list");
      assertThat(definedKeepDaily(mover, ALICE)).isEqualTo(14);
      assertThat(operator.events(NAME, "PolicyApplied"))
          .anyMatch(e -> e.getMessage().contains("put back") && e.getMessage().contains(ALICE));

      // A value the model rejects on a managed target: skipped and reported, the rest proceeds.
      mover.run(PolicyCommands.setArguments(List.of(BOB, "--max-parallel-file-reads=0")));
      mover.run(PolicyCommands.setArguments(List.of(ALICE, "--keep-daily=5")));
      operator.pass(NAME);
      assertThat(operator.condition(NAME, "PolicyApplied")).isEqualTo("False/PolicyNotReadable");
      assertThat(operator.message(NAME, "PolicyApplied"))
          .contains(BOB)
          .contains("maxParallelFileReads");
      assertThat(definedKeepDaily(mover, ALICE)).isEqualTo(14);
      assertThat(operator.events(NAME, "PolicyNotReadable")).isNotEmpty();

      // Removing an entry removes that Kopia policy, and only that one.
      operator.edit(
          NAME,
          r -> {
            r.getSpec().setPolicies(new ArrayList<>(List.of(keepDaily(ALICE, 14))));
            return r;
          });
      List<String> removal = operator.pass(NAME);
      System.out.printf("[figures] pass after removing one spec.policies entry: %s%n", removal);
      PolicyListing after = mover.policies();
      assertThat(after.defines(PolicyTarget.parse(BOB))).isFalse();
      assertThat(after.defines(PolicyTarget.parse(ALICE))).isTrue();
      assertThat(after.defines(PolicyTarget.parse(FOREIGN))).isTrue();
      assertThat(operator.condition(NAME, "PolicyApplied")).isEqualTo("True/Applied");
      assertThat(operator.get(NAME).getStatus().getRepository().getManagedPolicies())
          .containsExactly(ALICE);
      assertThat(operator.events(NAME, "PolicyRemoved"))
          .anyMatch(e -> e.getMessage().contains(BOB));
    }
  }

  private static int definedKeepDaily(Kopia kopia, String target) {
    return kopia
        .policies()
        .definedFor(PolicyTarget.parse(target))
        .retention()
        .keepDaily()
        .orElse(-1);
  }

  private static TargetedPolicySpec keepDaily(String target, int days) {
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setKeepDaily(days);
    return new TargetedPolicySpec(target, policy);
  }

  private static TargetedPolicySpec keepLatest(String target, int count) {
    RepositoryPolicySpec policy = new RepositoryPolicySpec();
    policy.setKeepLatest(count);
    return new TargetedPolicySpec(target, policy);
  }
}
