package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyShowOutputTest {

  @Test
  void parsesTheGlobalPolicyWrittenByRepositoryCreate() {
    List<Policy> policies =
        PolicyShowOutput.parse(PolicyExamples.fixture("show-global-defaults.json"));

    assertThat(policies).containsExactly(PolicyExamples.globalDefaults());
  }

  @Test
  void parsesOneEffectivePolicyPerLineInTargetOrder() {
    List<Policy> policies =
        PolicyShowOutput.parse(PolicyExamples.fixture("show-path-and-host.json"));

    assertThat(policies).hasSize(2);
    // Effective: the path policy's own values, while noParent itself is not printed.
    assertThat(policies.get(0))
        .isEqualTo(Policy.builder().from(PolicyExamples.rich()).noParent(false).build());
    // Effective host policy: its own keepDaily and maxParallelSnapshots over the global defaults.
    Policy defaults = PolicyExamples.globalDefaults();
    assertThat(policies.get(1))
        .isEqualTo(
            Policy.builder()
                .from(defaults)
                .retention(
                    RetentionPolicy.builder().from(defaults.retention()).keepDaily(2).build())
                .upload(
                    UploadPolicy.builder().from(defaults.upload()).maxParallelSnapshots(3).build())
                .build());
  }

  @Test
  void treatsNullsAndZeroSizesAsUnset() {
    Policy policy =
        PolicyShowOutput.parseOne(
            "{\"retention\":{\"keepLatest\":null},\"files\":{\"maxFileSize\":0},"
                + "\"scheduling\":{\"intervalSeconds\":0},\"compression\":{\"compressorName\":\"\"}}");

    assertThat(policy).isEqualTo(Policy.empty());
  }

  @Test
  void rejectsSomethingThatIsNotJson() {
    assertThatThrownBy(() -> PolicyShowOutput.parse("Policy for (global):"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a Kopia policy JSON object");
  }

  @Test
  void rejectsAnUnknownCompressorByName() {
    assertThatThrownBy(
            () -> PolicyShowOutput.parseOne("{\"compression\":{\"compressorName\":\"brotli\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown Kopia compressor 'brotli'");
  }
}
