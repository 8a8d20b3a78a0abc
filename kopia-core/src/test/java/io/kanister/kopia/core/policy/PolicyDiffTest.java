package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {
  private static final Policy RICH = PolicyExamples.rich();

  private static Policy richWith(UnaryOperator<ImmutablePolicy.Builder> change) {
    return change.apply(Policy.builder().from(RICH)).build();
  }

  @Test
  void noChangeGivesNoArguments() {
    assertThat(PolicyDiff.diff(RICH, RICH)).isEmpty();
    assertThat(PolicyDiff.diff(PolicyExamples.RICH_TARGET, RICH, RICH)).isEmpty();
    assertThat(PolicyDiff.diff(Policy.empty(), Policy.empty())).isEmpty();
  }

  @Test
  void listOrderIsNotAChange() {
    Policy reordered =
        richWith(
            b ->
                b.files(
                    FilesPolicy.builder()
                        .from(RICH.files())
                        .ignoreRules(java.util.List.of("cache/", "*.tmp"))
                        .build()));

    assertThat(PolicyDiff.diff(reordered, RICH)).isEmpty();
  }

  @Test
  void prefixesTheTargetWhenSomethingChanged() {
    Policy desired =
        richWith(
            b ->
                b.retention(
                    RetentionPolicy.builder().from(RICH.retention()).keepLatest(6).build()));

    assertThat(PolicyDiff.diff(PolicyExamples.RICH_TARGET, desired, RICH))
        .containsExactly("bob@box:/srv", "--keep-latest=6");
  }

  @Test
  void changesEachScalarField() {
    Policy desired =
        Policy.builder()
            .retention(
                RetentionPolicy.builder()
                    .from(RICH.retention())
                    .keepHourly(1)
                    .ignoreIdenticalSnapshots(false)
                    .build())
            .files(
                FilesPolicy.builder()
                    .from(RICH.files())
                    .maxFileSize(5L)
                    .oneFileSystem(false)
                    .build())
            .errorHandling(
                ErrorHandlingPolicy.builder()
                    .from(RICH.errorHandling())
                    .ignoreUnknownTypes(true)
                    .build())
            .scheduling(
                SchedulingPolicy.builder()
                    .from(RICH.scheduling())
                    .interval(Duration.ofMinutes(30))
                    .runMissed(true)
                    .build())
            .compression(
                CompressionPolicy.builder()
                    .from(RICH.compression())
                    .compressor(Compressor.S2_DEFAULT)
                    .maxSize(2048L)
                    .build())
            .metadataCompressor(Compressor.NONE)
            .splitter(SplitterAlgorithm.FIXED_1M)
            .upload(
                UploadPolicy.builder().from(RICH.upload()).parallelUploadAboveSizeMib(0).build())
            .logging(LoggingPolicy.builder().from(RICH.logging()).entryCacheMiss(10).build())
            .volumeShadowCopy(VolumeShadowCopyMode.ALWAYS)
            .noParent(false)
            .build();

    assertThat(PolicyDiff.diff(desired, RICH))
        .containsExactly(
            "--keep-hourly=1",
            "--ignore-identical-snapshots=false",
            "--max-file-size=5",
            "--one-file-system=false",
            "--ignore-unknown-types=true",
            "--snapshot-interval=30m",
            "--run-missed=true",
            "--compression=s2-default",
            "--compression-max-size=2048",
            "--metadata-compression=none",
            "--splitter=FIXED-1M",
            "--parallel-upload-above-size-mib=0",
            "--log-entry-cache-miss=10",
            "--enable-volume-shadow-copy=always",
            "--inherit=true");
  }

  @Test
  void removingEveryFieldMakesTheTargetInheritEverything() {
    assertThat(PolicyDiff.diff(Policy.empty(), RICH))
        .containsExactly(
            "--keep-latest=inherit",
            "--keep-hourly=inherit",
            "--keep-daily=inherit",
            "--keep-weekly=inherit",
            "--keep-monthly=inherit",
            "--keep-annual=inherit",
            "--ignore-identical-snapshots=inherit",
            "--clear-ignore",
            "--clear-dot-ignore",
            "--max-file-size=inherit",
            "--one-file-system=inherit",
            "--ignore-cache-dirs=inherit",
            "--ignore-file-errors=inherit",
            "--ignore-dir-errors=inherit",
            "--ignore-unknown-types=inherit",
            "--snapshot-interval=0",
            "--snapshot-time=inherit",
            "--snapshot-time-crontab=inherit",
            "--run-missed=inherit",
            "--compression=inherit",
            "--compression-min-size=inherit",
            "--compression-max-size=inherit",
            "--clear-only-compress",
            "--clear-never-compress",
            "--metadata-compression=inherit",
            "--splitter=inherit",
            "--max-parallel-file-reads=inherit",
            "--parallel-upload-above-size-mib=inherit",
            "--log-dir-snapshotted=inherit",
            "--log-dir-ignored=inherit",
            "--log-entry-snapshotted=inherit",
            "--log-entry-ignored=inherit",
            "--log-entry-cache-hit=inherit",
            "--log-entry-cache-miss=inherit",
            "--enable-volume-shadow-copy=inherit",
            "--inherit=true");
  }

  @Test
  void removesMaxParallelSnapshotsFromAHostPolicy() {
    Policy actual =
        Policy.builder().upload(UploadPolicy.builder().maxParallelSnapshots(3).build()).build();

    assertThat(PolicyDiff.diff(PolicyTarget.host("box"), Policy.empty(), actual))
        .containsExactly("@box", "--max-parallel-snapshots=inherit");
  }

  @Test
  void editsListsWithRemoveThenAdd() {
    Policy desired =
        richWith(
            b ->
                b.files(
                        FilesPolicy.builder()
                            .from(RICH.files())
                            .ignoreRules(java.util.List.of("*.tmp", "*.bak", "node_modules/"))
                            .dotIgnoreFiles(java.util.List.of(".backupignore", ".kopiaignore"))
                            .build())
                    .compression(
                        CompressionPolicy.builder()
                            .from(RICH.compression())
                            .onlyCompress(java.util.List.of("*.log"))
                            .neverCompress(java.util.List.of())
                            .build()));

    assertThat(PolicyDiff.diff(desired, RICH))
        .containsExactly(
            "--remove-ignore=cache/",
            "--add-ignore=*.bak",
            "--add-ignore=node_modules/",
            "--add-dot-ignore=.kopiaignore",
            "--remove-only-compress=*.txt",
            "--clear-never-compress");
  }

  @Test
  void replacesTimesOfDayAndCronAsWholeLists() {
    Policy desired =
        richWith(
            b ->
                b.scheduling(
                    SchedulingPolicy.builder()
                        .from(RICH.scheduling())
                        .timesOfDay(java.util.List.of(TimeOfDay.of(2, 30)))
                        .cronExpressions(java.util.List.of("30 4 * * 1", "0 3 * * *"))
                        .build()));

    assertThat(PolicyDiff.diff(desired, RICH))
        .containsExactly("--snapshot-time=02:30", "--snapshot-time-crontab=30 4 * * 1;0 3 * * *");
  }

  @Test
  void switchingToManualLetsManualClearTheSchedule() {
    Policy actual =
        Policy.builder()
            .scheduling(
                SchedulingPolicy.builder()
                    .interval(Duration.ofHours(1))
                    .addTimesOfDay(TimeOfDay.of(3, 0))
                    .addCronExpressions("0 3 * * *")
                    .build())
            .build();
    Policy desired =
        Policy.builder().scheduling(SchedulingPolicy.builder().manual(true).build()).build();

    assertThat(PolicyDiff.diff(desired, actual)).containsExactly("--manual");
  }

  @Test
  void switchingToManualDropsRunMissedFirstAndAddsManualOnTheNextPass() {
    Policy desired = richWith(b -> b.scheduling(SchedulingPolicy.builder().manual(true).build()));

    assertThat(PolicyDiff.diff(desired, RICH)).containsExactly("--run-missed=inherit");
    Policy afterFirstPass =
        richWith(
            b ->
                b.scheduling(
                    SchedulingPolicy.builder()
                        .from(RICH.scheduling())
                        .runMissed(java.util.Optional.empty())
                        .build()));
    assertThat(PolicyDiff.diff(desired, afterFirstPass)).containsExactly("--manual");
  }

  @Test
  void manualIsRepeatedWhenAnythingElseIsWritten() {
    Policy manual =
        Policy.builder().scheduling(SchedulingPolicy.builder().manual(true).build()).build();
    Policy manualKeepingFive =
        Policy.builder()
            .from(manual)
            .retention(RetentionPolicy.builder().keepLatest(5).build())
            .build();

    assertThat(PolicyDiff.diff(manual, manual)).isEmpty();
    assertThat(PolicyDiff.diff(manualKeepingFive, manual))
        .containsExactly("--keep-latest=5", "--manual");
  }

  @Test
  void leavingManualUsesTheNegatedBooleanFlag() {
    Policy manual =
        Policy.builder().scheduling(SchedulingPolicy.builder().manual(true).build()).build();
    Policy hourly =
        Policy.builder()
            .scheduling(SchedulingPolicy.builder().interval(Duration.ofHours(1)).build())
            .build();

    assertThat(PolicyDiff.diff(Policy.empty(), manual)).containsExactly("--no-manual");
    assertThat(PolicyDiff.diff(hourly, manual))
        .containsExactly("--snapshot-interval=1h", "--no-manual");
  }

  @Test
  void addingToAnEmptyTargetEqualsTheFullRendering() {
    assertThat(PolicyDiff.diff(PolicyExamples.RICH_TARGET, RICH, Policy.empty()))
        .isEqualTo(PolicySetArguments.of(PolicyExamples.RICH_TARGET, RICH));
  }

  @Test
  void rejectsMaxParallelSnapshotsForAPathTarget() {
    Policy desired =
        Policy.builder().upload(UploadPolicy.builder().maxParallelSnapshots(1).build()).build();

    assertThatThrownBy(() -> PolicyDiff.diff(PolicyExamples.RICH_TARGET, desired, RICH))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("maxParallelSnapshots cannot be set on path target bob@box:/srv");
  }
}
