package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.kopia.core.Kopia;
import io.kanister.kopia.core.RealRepositories;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import org.junit.jupiter.api.Test;

/** Set a rich policy from the model, read it back from the real kopia, and compare. */
@RealKopia
@RealS3
class PolicyRoundTripIT {

  @Test
  void richPathPolicyRoundTripsOnFilesystem(KopiaSandbox sandbox) {
    Kopia kopia = RealRepositories.created(sandbox, RealRepositories.filesystem(sandbox));
    roundTrip(kopia);
  }

  @Test
  void richPathPolicyRoundTripsOnS3(KopiaSandbox sandbox, S3Bucket bucket) {
    Kopia kopia = RealRepositories.created(sandbox, RealRepositories.s3(bucket, "policy/"));
    roundTrip(kopia);
  }

  private static void roundTrip(Kopia kopia) {
    PolicyTarget target = PolicyExamples.RICH_TARGET;
    Policy desired = PolicyExamples.rich();

    assertThat(kopia.applyPolicy(target, desired)).as("first apply writes").isTrue();
    assertThat(kopia.definedPolicy(target)).isEqualTo(desired);
    assertThat(kopia.applyPolicy(target, desired)).as("second apply writes nothing").isFalse();

    // policy show --json reports the effective policy: every field the model set must be there.
    Policy effective = kopia.effectivePolicy(target);
    assertThat(effective.retention()).isEqualTo(desired.retention());
    assertThat(effective.compression()).isEqualTo(desired.compression());
    assertThat(effective.scheduling()).isEqualTo(desired.scheduling());
    assertThat(effective.errorHandling()).isEqualTo(desired.errorHandling());
    assertThat(effective.files().ignoreRules()).isEqualTo(desired.files().ignoreRules());

    // Removing everything leaves an empty defined policy, and global retention edits converge too.
    assertThat(kopia.applyPolicy(target, Policy.empty())).isTrue();
    assertThat(kopia.definedPolicy(target)).isEqualTo(Policy.empty());
    Policy global =
        Policy.builder()
            .retention(RetentionPolicy.builder().keepLatest(3).keepDaily(30).build())
            .compression(CompressionPolicy.builder().compressor(Compressor.S2_DEFAULT).build())
            .build();
    Policy before = kopia.definedPolicy(PolicyTarget.global());
    Policy merged =
        Policy.builder()
            .from(before)
            .retention(global.retention())
            .compression(global.compression())
            .build();
    assertThat(kopia.applyPolicy(PolicyTarget.global(), merged)).isTrue();
    assertThat(kopia.definedPolicy(PolicyTarget.global())).isEqualTo(merged);
  }
}
