package io.kanister.kopia.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Kopia's {@code policy.Policy} JSON. Kopia omits unset pointer fields and writes unset plain
 * numbers as 0 (also omitted), so both a missing field and a 0 in a "0 means unset" field become an
 * empty optional. Fields this model does not cover (actions, {@code noParent*} list flags) are
 * ignored.
 */
final class PolicyJsonReader {
  private static final long MIB = 1024L * 1024L;

  private PolicyJsonReader() {}

  static Policy read(JsonNode json) {
    JsonNode retention = json.path("retention");
    JsonNode files = json.path("files");
    JsonNode errors = json.path("errorHandling");
    JsonNode compression = json.path("compression");
    JsonNode upload = json.path("upload");
    JsonNode dirLogging = json.path("logging").path("directories");
    JsonNode entryLogging = json.path("logging").path("entries");
    return Policy.builder()
        .retention(
            RetentionPolicy.builder()
                .keepLatest(intValue(retention, "keepLatest"))
                .keepHourly(intValue(retention, "keepHourly"))
                .keepDaily(intValue(retention, "keepDaily"))
                .keepWeekly(intValue(retention, "keepWeekly"))
                .keepMonthly(intValue(retention, "keepMonthly"))
                .keepAnnual(intValue(retention, "keepAnnual"))
                .ignoreIdenticalSnapshots(bool(retention, "ignoreIdenticalSnapshots"))
                .build())
        .files(
            FilesPolicy.builder()
                .ignoreRules(strings(files, "ignore"))
                .dotIgnoreFiles(strings(files, "ignoreDotFiles"))
                .maxFileSize(positiveLong(files, "maxFileSize"))
                .oneFileSystem(bool(files, "oneFileSystem"))
                .ignoreCacheDirs(bool(files, "ignoreCacheDirs"))
                .build())
        .errorHandling(
            ErrorHandlingPolicy.builder()
                .ignoreFileErrors(bool(errors, "ignoreFileErrors"))
                .ignoreDirectoryErrors(bool(errors, "ignoreDirectoryErrors"))
                .ignoreUnknownTypes(bool(errors, "ignoreUnknownTypes"))
                .build())
        .scheduling(scheduling(json.path("scheduling")))
        .compression(
            CompressionPolicy.builder()
                .compressor(text(compression, "compressorName").map(Compressor::fromKopiaName))
                .minSize(positiveLong(compression, "minSize"))
                .maxSize(positiveLong(compression, "maxSize"))
                .onlyCompress(strings(compression, "onlyCompress"))
                .neverCompress(strings(compression, "neverCompress"))
                .build())
        .metadataCompressor(
            text(json.path("metadataCompression"), "compressorName").map(Compressor::fromKopiaName))
        .splitter(text(json.path("splitter"), "algorithm").map(SplitterAlgorithm::fromKopiaName))
        .upload(
            UploadPolicy.builder()
                .maxParallelSnapshots(intValue(upload, "maxParallelSnapshots"))
                .maxParallelFileReads(intValue(upload, "maxParallelFileReads"))
                // policy set only writes whole MiB; a byte count set by other means is rounded
                // down.
                .parallelUploadAboveSizeMib(
                    longValue(upload, "parallelUploadAboveSize").map(b -> Math.toIntExact(b / MIB)))
                .build())
        .logging(
            LoggingPolicy.builder()
                .directorySnapshotted(intValue(dirLogging, "snapshotted"))
                .directoryIgnored(intValue(dirLogging, "ignored"))
                .entrySnapshotted(intValue(entryLogging, "snapshotted"))
                .entryIgnored(intValue(entryLogging, "ignored"))
                .entryCacheHit(intValue(entryLogging, "cacheHit"))
                .entryCacheMiss(intValue(entryLogging, "cacheMiss"))
                .build())
        .volumeShadowCopy(
            intValue(json.path("osSnapshots").path("volumeShadowCopy"), "enable")
                .map(VolumeShadowCopyMode::fromJsonCode))
        .noParent(json.path("noParent").asBoolean(false))
        .build();
  }

  private static SchedulingPolicy scheduling(JsonNode json) {
    List<TimeOfDay> times = new ArrayList<>();
    for (JsonNode time : json.path("timeOfDay")) {
      times.add(TimeOfDay.of(time.path("hour").asInt(), time.path("min").asInt()));
    }
    return SchedulingPolicy.builder()
        .interval(positiveLong(json, "intervalSeconds").map(Duration::ofSeconds))
        .timesOfDay(times)
        .cronExpressions(strings(json, "cron"))
        .manual(json.path("manual").asBoolean(false))
        .runMissed(bool(json, "runMissed"))
        .build();
  }

  private static JsonNode field(JsonNode parent, String name) {
    JsonNode node = parent.path(name);
    return node.isNull() ? MissingNode.getInstance() : node;
  }

  private static Optional<Integer> intValue(JsonNode parent, String name) {
    JsonNode node = field(parent, name);
    return node.isMissingNode() ? Optional.empty() : Optional.of(node.intValue());
  }

  private static Optional<Long> longValue(JsonNode parent, String name) {
    JsonNode node = field(parent, name);
    return node.isMissingNode() ? Optional.empty() : Optional.of(node.longValue());
  }

  private static Optional<Long> positiveLong(JsonNode parent, String name) {
    return longValue(parent, name).filter(v -> v > 0);
  }

  private static Optional<Boolean> bool(JsonNode parent, String name) {
    JsonNode node = field(parent, name);
    return node.isMissingNode() ? Optional.empty() : Optional.of(node.booleanValue());
  }

  private static Optional<String> text(JsonNode parent, String name) {
    return Optional.of(field(parent, name).asText("")).filter(s -> !s.isEmpty());
  }

  private static Set<String> strings(JsonNode parent, String name) {
    Set<String> values = new LinkedHashSet<>();
    for (JsonNode item : field(parent, name)) {
      values.add(item.asText());
    }
    return values;
  }
}
