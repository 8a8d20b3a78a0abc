package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyListOutputTest {
  private final List<DefinedPolicy> listed =
      PolicyListOutput.parse(PolicyExamples.fixture("list.json"));

  @Test
  void parsesIdsAndTargets() {
    assertThat(listed)
        .extracting(DefinedPolicy::id, DefinedPolicy::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "b13131c096527d06edb0317d7de07623", PolicyTarget.global()),
            org.assertj.core.groups.Tuple.tuple(
                "1a6bda7a8b647f77fda1d5a0e6671707", PolicyTarget.host("box")),
            org.assertj.core.groups.Tuple.tuple(
                "de20e6122642f7081925f4fb8afcff82", PolicyExamples.RICH_TARGET),
            org.assertj.core.groups.Tuple.tuple(
                "b2850a8bbf70953dcde124be5d318347", PolicyTarget.user("carol", "box")));
  }

  @Test
  void parsesDefinedPoliciesOnly() {
    assertThat(listed.get(0).policy()).isEqualTo(PolicyExamples.globalDefaults());
    assertThat(listed.get(1).policy())
        .isEqualTo(
            Policy.builder()
                .retention(RetentionPolicy.builder().keepDaily(2).build())
                .upload(UploadPolicy.builder().maxParallelSnapshots(3).build())
                .build());
    assertThat(listed.get(2).policy()).isEqualTo(PolicyExamples.rich());
    assertThat(listed.get(3).policy())
        .isEqualTo(
            Policy.builder().scheduling(SchedulingPolicy.builder().manual(true).build()).build());
  }

  @Test
  void definedPolicyOfAnUnlistedTargetIsEmpty() {
    assertThat(PolicyListOutput.definedFor(listed, PolicyExamples.RICH_TARGET))
        .isEqualTo(PolicyExamples.rich());
    assertThat(PolicyListOutput.definedFor(listed, PolicyTarget.user("dave", "box")))
        .isEqualTo(Policy.empty());
  }

  @Test
  void parsesAnEmptyList() {
    assertThat(PolicyListOutput.parse("[]")).isEmpty();
  }

  @Test
  void rejectsANonArray() {
    assertThatThrownBy(() -> PolicyListOutput.parse("{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy list output must be a JSON array");
  }
}
