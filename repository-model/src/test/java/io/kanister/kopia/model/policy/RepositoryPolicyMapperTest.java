package io.kanister.kopia.model.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.core.policy.CompressionPolicy;
import io.kanister.kopia.core.policy.Compressor;
import io.kanister.kopia.core.policy.ErrorHandlingPolicy;
import io.kanister.kopia.core.policy.FilesPolicy;
import io.kanister.kopia.core.policy.LoggingPolicy;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.policy.RetentionPolicy;
import io.kanister.kopia.core.policy.SchedulingPolicy;
import io.kanister.kopia.core.policy.SplitterAlgorithm;
import io.kanister.kopia.core.policy.TimeOfDay;
import io.kanister.kopia.core.policy.UploadPolicy;
import io.kanister.kopia.core.policy.VolumeShadowCopyMode;
import io.kanister.kopia.model.validation.Problem;
import io.kanister.kopia.model.validation.Validated;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepositoryPolicyMapperTest {
  private static final String SEED_POLICY =
      """
      addIgnore: ["/data/cache"]
      compression: s2-default
      keepAnnual: 3
      keepDaily: 14
      keepHourly: 48
      keepLatest: 10
      keepMonthly: 24
      keepWeekly: 25
      snapshotInterval: 6h
      snapshotTime: ["00:00","06:00","18:00"]
      """;

  @Test
  void mapsTheSeedPolicy() {
    Policy policy = RepositoryPolicyMapper.toPolicy(spec(SEED_POLICY), "spec.policy").value();

    assertThat(policy)
        .isEqualTo(
            Policy.builder()
                .retention(
                    RetentionPolicy.builder()
                        .keepAnnual(3)
                        .keepDaily(14)
                        .keepHourly(48)
                        .keepLatest(10)
                        .keepMonthly(24)
                        .keepWeekly(25)
                        .build())
                .files(FilesPolicy.builder().addIgnoreRules("/data/cache").build())
                .compression(CompressionPolicy.builder().compressor(Compressor.S2_DEFAULT).build())
                .scheduling(
                    SchedulingPolicy.builder()
                        .interval(Duration.ofHours(6))
                        .addTimesOfDay(TimeOfDay.of(0, 0), TimeOfDay.of(6, 0), TimeOfDay.of(18, 0))
                        .build())
                .build());
  }

  @Test
  void mapsEveryField() {
    RepositoryPolicySpec spec =
        spec(
            """
            keepLatest: 1
            keepHourly: 2
            keepDaily: 3
            keepWeekly: 4
            keepMonthly: 5
            keepAnnual: 0
            ignoreIdenticalSnapshots: true
            addIgnore: ["*.tmp", " cache/ "]
            addDotIgnore: [".kopiaignore"]
            maxFileSize: 1048576
            oneFileSystem: true
            ignoreCacheDirs: false
            ignoreFileErrors: true
            ignoreDirErrors: false
            ignoreUnknownTypes: true
            snapshotInterval: 1h30m15s
            snapshotTime: ["2:30"]
            snapshotTimeCrontab: ["0 3 * * *"]
            runMissed: false
            compression: zstd
            compressionMinSize: 100
            compressionMaxSize: 200
            addOnlyCompress: ["*.txt"]
            addNeverCompress: ["*.zip"]
            metadataCompression: zstd-fastest
            splitter: DYNAMIC-4M-BUZHASH
            maxParallelSnapshots: 2
            maxParallelFileReads: 8
            parallelUploadAboveSizeMib: 64
            logDirSnapshotted: 1
            logDirIgnored: 2
            logEntrySnapshotted: 3
            logEntryIgnored: 4
            logEntryCacheHit: 5
            logEntryCacheMiss: 10
            enableVolumeShadowCopy: when-available
            inherit: false
            """);

    Policy policy = RepositoryPolicyMapper.toPolicy(spec, "spec.policy").value();

    assertThat(policy.retention())
        .isEqualTo(
            RetentionPolicy.builder()
                .keepLatest(1)
                .keepHourly(2)
                .keepDaily(3)
                .keepWeekly(4)
                .keepMonthly(5)
                .keepAnnual(0)
                .ignoreIdenticalSnapshots(true)
                .build());
    assertThat(policy.files())
        .isEqualTo(
            FilesPolicy.builder()
                .addIgnoreRules("*.tmp", "cache/")
                .addDotIgnoreFiles(".kopiaignore")
                .maxFileSize(1048576L)
                .oneFileSystem(true)
                .ignoreCacheDirs(false)
                .build());
    assertThat(policy.errorHandling())
        .isEqualTo(
            ErrorHandlingPolicy.builder()
                .ignoreFileErrors(true)
                .ignoreDirectoryErrors(false)
                .ignoreUnknownTypes(true)
                .build());
    assertThat(policy.scheduling())
        .isEqualTo(
            SchedulingPolicy.builder()
                .interval(Duration.ofSeconds(5415))
                .addTimesOfDay(TimeOfDay.of(2, 30))
                .addCronExpressions("0 3 * * *")
                .runMissed(false)
                .build());
    assertThat(policy.compression())
        .isEqualTo(
            CompressionPolicy.builder()
                .compressor(Compressor.ZSTD)
                .minSize(100L)
                .maxSize(200L)
                .addOnlyCompress("*.txt")
                .addNeverCompress("*.zip")
                .build());
    assertThat(policy.metadataCompressor()).contains(Compressor.ZSTD_FASTEST);
    assertThat(policy.splitter()).contains(SplitterAlgorithm.DYNAMIC_4M_BUZHASH);
    assertThat(policy.upload())
        .isEqualTo(
            UploadPolicy.builder()
                .maxParallelSnapshots(2)
                .maxParallelFileReads(8)
                .parallelUploadAboveSizeMib(64)
                .build());
    assertThat(policy.logging())
        .isEqualTo(
            LoggingPolicy.builder()
                .directorySnapshotted(1)
                .directoryIgnored(2)
                .entrySnapshotted(3)
                .entryIgnored(4)
                .entryCacheHit(5)
                .entryCacheMiss(10)
                .build());
    assertThat(policy.volumeShadowCopy()).contains(VolumeShadowCopyMode.WHEN_AVAILABLE);
    assertThat(policy.noParent()).isTrue();
  }

  @Test
  void anAbsentPolicyDefinesNothing() {
    assertThat(RepositoryPolicyMapper.toPolicy(null, "spec.policy").value())
        .isEqualTo(Policy.empty());
    assertThat(RepositoryPolicyMapper.toPolicy(spec("inherit: true"), "spec.policy").value())
        .isEqualTo(Policy.empty());
  }

  @Test
  void namesTheIndexOfABadSnapshotTime() {
    assertThat(problems("snapshotTime: ['00:00', '25:00', 'noon']"))
        .containsExactly(
            new Problem(
                "spec.policy.snapshotTime[1]",
                "must be HH:MM on a 24-hour clock, e.g. 06:30; got '25:00'"),
            new Problem(
                "spec.policy.snapshotTime[2]",
                "must be HH:MM on a 24-hour clock, e.g. 06:30; got 'noon'"));
  }

  @Test
  void aBadCrontabIsRefusedByTheModelSoTheReconcilerSeesItToo() {
    assertThat(problems("snapshotTimeCrontab: ['0 3 * * *', '61 3 * * *']"))
        .containsExactly(
            new Problem(
                "spec.policy.snapshotTimeCrontab[1]",
                "'61 3 * * *': minute 61 is out of range 0-59"));
  }

  @Test
  void reportsEveryBadFieldAtOnce() {
    List<Problem> problems =
        problems(
            """
            keepDaily: -1
            keepAnnual: -2
            snapshotInterval: 6 hours
            compressionMinSize: 10
            compressionMaxSize: 5
            logEntryCacheMiss: 11
            maxParallelFileReads: 0
            maxFileSize: 0
            addIgnore: ["ok", "  "]
            addDotIgnore: ["conf/.kopiaignore"]
            snapshotTimeCrontab: ["0 3 * * *; 0 4 * * *"]
            """);

    assertThat(problems)
        .extracting(Problem::where)
        .containsExactlyInAnyOrder(
            "spec.policy.keepDaily",
            "spec.policy.keepAnnual",
            "spec.policy.snapshotInterval",
            "spec.policy.compressionMinSize",
            "spec.policy.logEntryCacheMiss",
            "spec.policy.maxParallelFileReads",
            "spec.policy.maxFileSize",
            "spec.policy.addIgnore[1]",
            "spec.policy.addDotIgnore[0]",
            "spec.policy.snapshotTimeCrontab[0]");
    assertThat(problems)
        .contains(new Problem("spec.policy.keepDaily", "must be 0 or more; got -1"))
        .contains(
            new Problem(
                "spec.policy.logEntryCacheMiss",
                "must be a log level from 0 (none) to 10 (most); got 11"));
  }

  @Test
  void refusesAZeroInterval() {
    assertThat(problems("snapshotInterval: 0h0m"))
        .containsExactly(
            new Problem("spec.policy.snapshotInterval", "must be at least 1s, e.g. 6h or 1h30m"));
  }

  @Test
  void refusesManualWithScheduling() {
    assertThat(problems("manual: true\nsnapshotTime: ['01:00']"))
        .extracting(Problem::where)
        .containsExactly("spec.policy.manual");
    assertThat(
            RepositoryPolicyMapper.toPolicy(spec("manual: true"), "spec.policy")
                .value()
                .scheduling()
                .manual())
        .isTrue();
  }

  @Test
  void mapsTargetedPolicies() {
    Validated<Map<PolicyTarget, Policy>> policies =
        RepositoryPolicyMapper.policies(
            spec(SEED_POLICY),
            List.of(
                new TargetedPolicySpec("mysql@monitoring.mysql", spec("keepLatest: 3")),
                new TargetedPolicySpec(
                    "mysql@monitoring.mysql:/var/lib/mysql", spec("addIgnore: ['*.sock']")),
                new TargetedPolicySpec("@monitoring.mysql", spec("maxParallelSnapshots: 2"))));

    assertThat(policies.value())
        .containsOnlyKeys(
            PolicyTarget.global(),
            PolicyTarget.user("mysql", "monitoring.mysql"),
            PolicyTarget.path("mysql", "monitoring.mysql", "/var/lib/mysql"),
            PolicyTarget.host("monitoring.mysql"));
    assertThat(policies.value().get(PolicyTarget.user("mysql", "monitoring.mysql")).retention())
        .isEqualTo(RetentionPolicy.builder().keepLatest(3).build());
  }

  @Test
  void refusesBadTargetedPolicies() {
    Validated<Map<PolicyTarget, Policy>> policies =
        RepositoryPolicyMapper.policies(
            null,
            List.of(
                new TargetedPolicySpec("(global)", spec("keepLatest: 3")),
                new TargetedPolicySpec("mysql@monitoring.mysql", spec("keepLatest: 3")),
                new TargetedPolicySpec("mysql@monitoring.mysql", spec("keepDaily: 3")),
                new TargetedPolicySpec("mysql@monitoring.mysql:data", spec("keepDaily: 3")),
                new TargetedPolicySpec("a@b:/data", spec("maxParallelSnapshots: 2")),
                new TargetedPolicySpec("a@b", spec("keepHourly: -1")),
                new TargetedPolicySpec(null, spec("keepHourly: 1"))));

    assertThat(policies.problems())
        .extracting(Problem::where)
        .containsExactly(
            "spec.policies[0].target",
            "spec.policies[2].target",
            "spec.policies[3].target",
            "spec.policies[4].policy.maxParallelSnapshots",
            "spec.policies[5].policy.keepHourly",
            "spec.policies[6].target");
    assertThat(policies.problems().get(0).message()).contains("spec.policy");
    assertThat(policies.problems().get(1).message()).contains("appears twice");
    assertThat(policies.problems().get(2).message()).contains("must be absolute");
  }

  @Test
  void everyUsableKopiaCompressorCanBeNamed() {
    assertThat(Arrays.stream(PolicyCompressor.values()).map(PolicyCompressor::toKopia))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Compressor.values()).filter(c -> c != Compressor.LZ4).toList());
    assertThat(Arrays.stream(PolicySplitter.values()).map(PolicySplitter::toKopia))
        .containsExactlyInAnyOrder(SplitterAlgorithm.values());
    assertThat(Arrays.stream(PolicyVolumeShadowCopy.values()).map(PolicyVolumeShadowCopy::toKopia))
        .containsExactlyInAnyOrder(VolumeShadowCopyMode.values());
  }

  @Test
  void enumsUseKopiaSpelling() {
    for (PolicyCompressor c : PolicyCompressor.values()) {
      assertThat(Serialization.asJson(c)).isEqualTo("\"" + c.toKopia().kopiaName() + "\"");
    }
    for (PolicySplitter s : PolicySplitter.values()) {
      assertThat(Serialization.asJson(s)).isEqualTo("\"" + s.toKopia().kopiaName() + "\"");
    }
    for (PolicyVolumeShadowCopy v : PolicyVolumeShadowCopy.values()) {
      assertThat(Serialization.asJson(v)).isEqualTo("\"" + v.toKopia().kopiaName() + "\"");
    }
  }

  private static List<Problem> problems(String yaml) {
    Validated<Policy> result = RepositoryPolicyMapper.toPolicy(spec(yaml), "spec.policy");
    assertThat(result.isValid()).as("policy %s must be refused", yaml).isFalse();
    return result.problems();
  }

  static RepositoryPolicySpec spec(String yaml) {
    return Serialization.unmarshal(yaml, RepositoryPolicySpec.class);
  }
}
