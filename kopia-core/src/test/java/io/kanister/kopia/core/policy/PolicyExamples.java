package io.kanister.kopia.core.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Policies and captured kopia v0.23.1 outputs shared by the policy tests. */
final class PolicyExamples {
  static final PolicyTarget RICH_TARGET = PolicyTarget.path("bob", "box", "/srv");

  private PolicyExamples() {}

  /** What the {@code bob@box:/srv} manifest in {@code policy/list.json} defines. */
  static Policy rich() {
    return Policy.builder()
        .retention(
            RetentionPolicy.builder()
                .keepLatest(5)
                .keepHourly(0)
                .keepDaily(14)
                .keepWeekly(8)
                .keepMonthly(12)
                .keepAnnual(2)
                .ignoreIdenticalSnapshots(true)
                .build())
        .files(
            FilesPolicy.builder()
                .addIgnoreRules("*.tmp", "cache/")
                .addDotIgnoreFiles(".backupignore")
                .maxFileSize(1_000_000L)
                .oneFileSystem(true)
                .ignoreCacheDirs(false)
                .build())
        .errorHandling(
            ErrorHandlingPolicy.builder()
                .ignoreFileErrors(true)
                .ignoreDirectoryErrors(false)
                .ignoreUnknownTypes(false)
                .build())
        .scheduling(
            SchedulingPolicy.builder()
                .interval(Duration.ofHours(4))
                .addTimesOfDay(TimeOfDay.of(2, 30), TimeOfDay.of(14, 5))
                .addCronExpressions("0 3 * * *", "30 4 * * 1")
                .runMissed(false)
                .build())
        .compression(
            CompressionPolicy.builder()
                .compressor(Compressor.ZSTD_FASTEST)
                .minSize(1024L)
                .maxSize(1_048_576L)
                .addOnlyCompress("*.txt", "*.log")
                .addNeverCompress("*.zip")
                .build())
        .metadataCompressor(Compressor.ZSTD)
        .splitter(SplitterAlgorithm.DYNAMIC_4M_BUZHASH)
        .upload(
            UploadPolicy.builder().maxParallelFileReads(4).parallelUploadAboveSizeMib(64).build())
        .logging(
            LoggingPolicy.builder()
                .directorySnapshotted(3)
                .directoryIgnored(4)
                .entrySnapshotted(1)
                .entryIgnored(2)
                .entryCacheHit(6)
                .entryCacheMiss(7)
                .build())
        .volumeShadowCopy(VolumeShadowCopyMode.WHEN_AVAILABLE)
        .noParent(true)
        .build();
  }

  /** What {@code repository create} writes as the global policy. */
  static Policy globalDefaults() {
    return Policy.builder()
        .retention(
            RetentionPolicy.builder()
                .keepLatest(10)
                .keepHourly(48)
                .keepDaily(7)
                .keepWeekly(4)
                .keepMonthly(24)
                .keepAnnual(3)
                .ignoreIdenticalSnapshots(false)
                .build())
        .files(FilesPolicy.builder().addDotIgnoreFiles(".kopiaignore").build())
        .errorHandling(
            ErrorHandlingPolicy.builder()
                .ignoreFileErrors(false)
                .ignoreDirectoryErrors(false)
                .ignoreUnknownTypes(true)
                .build())
        .scheduling(SchedulingPolicy.builder().runMissed(true).build())
        .compression(CompressionPolicy.builder().compressor(Compressor.NONE).build())
        .metadataCompressor(Compressor.ZSTD_FASTEST)
        .upload(
            UploadPolicy.builder().maxParallelSnapshots(1).parallelUploadAboveSizeMib(2048).build())
        .logging(
            LoggingPolicy.builder()
                .directorySnapshotted(5)
                .directoryIgnored(5)
                .entrySnapshotted(0)
                .entryIgnored(5)
                .entryCacheHit(0)
                .entryCacheMiss(0)
                .build())
        .volumeShadowCopy(VolumeShadowCopyMode.NEVER)
        .build();
  }

  /** A file under {@code src/test/resources/policy/}, captured from kopia v0.23.1. */
  static String fixture(String name) {
    try (InputStream in = PolicyExamples.class.getResourceAsStream("/policy/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test fixture policy/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
