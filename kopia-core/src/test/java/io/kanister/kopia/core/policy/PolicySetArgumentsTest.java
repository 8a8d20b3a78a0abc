package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicySetArgumentsTest {

  @Test
  void rendersEveryFieldOfARichPathPolicyInFixedOrder() {
    assertThat(PolicySetArguments.of(PolicyExamples.RICH_TARGET, PolicyExamples.rich()))
        .containsExactly(
            "bob@box:/srv",
            "--keep-latest=5",
            "--keep-hourly=0",
            "--keep-daily=14",
            "--keep-weekly=8",
            "--keep-monthly=12",
            "--keep-annual=2",
            "--ignore-identical-snapshots=true",
            "--add-ignore=*.tmp",
            "--add-ignore=cache/",
            "--add-dot-ignore=.backupignore",
            "--max-file-size=1000000",
            "--one-file-system=true",
            "--ignore-cache-dirs=false",
            "--ignore-file-errors=true",
            "--ignore-dir-errors=false",
            "--ignore-unknown-types=false",
            "--snapshot-interval=4h",
            "--snapshot-time=02:30,14:05",
            "--snapshot-time-crontab=0 3 * * *;30 4 * * 1",
            "--run-missed=false",
            "--compression=zstd-fastest",
            "--compression-min-size=1024",
            "--compression-max-size=1048576",
            "--add-only-compress=*.txt",
            "--add-only-compress=*.log",
            "--add-never-compress=*.zip",
            "--metadata-compression=zstd",
            "--splitter=DYNAMIC-4M-BUZHASH",
            "--max-parallel-file-reads=4",
            "--parallel-upload-above-size-mib=64",
            "--log-dir-snapshotted=3",
            "--log-dir-ignored=4",
            "--log-entry-snapshotted=1",
            "--log-entry-ignored=2",
            "--log-entry-cache-hit=6",
            "--log-entry-cache-miss=7",
            "--enable-volume-shadow-copy=when-available",
            "--inherit=false");
  }

  @Test
  void rendersTheGlobalTargetAsTheGlobalFlag() {
    Policy policy =
        Policy.builder()
            .retention(RetentionPolicy.builder().keepLatest(10).build())
            .upload(UploadPolicy.builder().maxParallelSnapshots(2).build())
            .build();

    assertThat(PolicySetArguments.of(PolicyTarget.global(), policy))
        .containsExactly("--global", "--keep-latest=10", "--max-parallel-snapshots=2");
  }

  @Test
  void rendersManualSchedulingAsABareFlag() {
    Policy policy =
        Policy.builder().scheduling(SchedulingPolicy.builder().manual(true).build()).build();

    assertThat(PolicySetArguments.of(PolicyTarget.user("carol", "box"), policy))
        .containsExactly("carol@box", "--manual");
  }

  @Test
  void rendersIntervalsInGoDurationSyntaxAndSortsTimesOfDay() {
    Policy policy =
        Policy.builder()
            .scheduling(
                SchedulingPolicy.builder()
                    .interval(java.time.Duration.ofSeconds(5415))
                    .addTimesOfDay(TimeOfDay.parse("23:59"), TimeOfDay.parse("0:05"))
                    .build())
            .build();

    assertThat(PolicySetArguments.of(PolicyTarget.host("box"), policy))
        .containsExactly("@box", "--snapshot-interval=1h30m15s", "--snapshot-time=00:05,23:59");
  }

  @Test
  void emptyPolicyRendersOnlyTheTarget() {
    assertThat(PolicySetArguments.of(PolicyTarget.host("box"), Policy.empty()))
        .containsExactly("@box");
  }

  @Test
  void rejectsMaxParallelSnapshotsOnAPathTarget() {
    Policy policy =
        Policy.builder().upload(UploadPolicy.builder().maxParallelSnapshots(2).build()).build();

    assertThatThrownBy(() -> PolicySetArguments.of(PolicyTarget.path("u", "h", "/data"), policy))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(
            "maxParallelSnapshots cannot be set on path target u@h:/data, only on global, host or"
                + " user targets");
  }
}
