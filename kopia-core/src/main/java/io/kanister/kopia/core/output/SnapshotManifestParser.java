package io.kanister.kopia.core.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads snapshot manifests from the two shapes Kopia prints them in. */
final class SnapshotManifestParser {

  private SnapshotManifestParser() {}

  static List<SnapshotManifest> parseLines(String stdout) {
    List<SnapshotManifest> manifests = new ArrayList<>();
    if (stdout == null) {
      return manifests;
    }
    int lineNumber = 0;
    for (String line : stdout.split("\\R")) {
      lineNumber++;
      if (!line.isBlank()) {
        JsonNode node = JsonFields.readTree(line, "snapshot create line " + lineNumber);
        manifests.add(read(JsonFields.of(node, "snapshot create line " + lineNumber)));
      }
    }
    return manifests;
  }

  static List<SnapshotManifest> parseArray(String stdout) {
    JsonNode array = JsonFields.readTree(stdout, "snapshot list");
    if (!array.isArray()) {
      throw new KopiaOutputException("snapshot list: expected a JSON array");
    }
    List<SnapshotManifest> manifests = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      manifests.add(read(JsonFields.of(array.get(i), "snapshot list[" + i + "]")));
    }
    return manifests;
  }

  private static SnapshotManifest read(JsonFields manifest) {
    JsonFields source = manifest.object("source");
    ImmutableSnapshotManifest.Builder builder =
        ImmutableSnapshotManifest.builder()
            .id(manifest.text("id"))
            .source(
                ImmutableSnapshotSource.builder()
                    .host(source.text("host"))
                    .userName(source.text("userName"))
                    .path(source.text("path"))
                    .build())
            .description(manifest.optionalText("description"))
            .startTime(manifest.instant("startTime"))
            .endTime(manifest.instant("endTime"))
            .rootEntry(readRootEntry(manifest.object("rootEntry")))
            .incompleteReason(manifest.optionalText("incomplete"))
            .retentionReasons(manifest.textList("retentionReason"));
    manifest
        .optionalObject("stats")
        .map(SnapshotManifestParser::readStats)
        .ifPresent(builder::stats);
    manifest
        .optionalObject("tags")
        .ifPresent(
            tags -> {
              for (String key : tags.fieldNames()) {
                tags.optionalText(key).ifPresent(value -> builder.putTags(key, value));
              }
            });
    return builder.build();
  }

  private static SnapshotStats readStats(JsonFields stats) {
    return ImmutableSnapshotStats.builder()
        .totalSize(stats.longValue("totalSize"))
        .fileCount(stats.longValue("fileCount"))
        .dirCount(stats.longValue("dirCount"))
        .cachedFiles(stats.longValue("cachedFiles"))
        .nonCachedFiles(stats.longValue("nonCachedFiles"))
        .errorCount(stats.longValue("errorCount"))
        .ignoredErrorCount(stats.longValue("ignoredErrorCount"))
        .build();
  }

  private static RootEntry readRootEntry(JsonFields entry) {
    ImmutableRootEntry.Builder builder =
        ImmutableRootEntry.builder()
            .name(entry.optionalText("name").orElse(""))
            .type(entry.text("type"))
            .objectId(entry.text("obj"));
    entry
        .optionalObject("summ")
        .map(SnapshotManifestParser::readSummary)
        .ifPresent(builder::summary);
    return builder.build();
  }

  private static DirectorySummary readSummary(JsonFields summary) {
    ImmutableDirectorySummary.Builder builder =
        ImmutableDirectorySummary.builder()
            .size(summary.longValue("size"))
            .files(summary.longValue("files"))
            .dirs(summary.longValue("dirs"))
            .symlinks(summary.longValue("symlinks"))
            .maxTime(summary.optionalInstant("maxTime"))
            .incompleteReason(summary.optionalText("incomplete"))
            .numFailed(summary.longValue("numFailed"))
            .numIgnoredErrors(summary.longValue("numIgnoredErrors"));
    for (JsonFields error : summary.objectList("errors")) {
      builder.addErrors(
          ImmutableEntryError.builder()
              .path(error.optionalText("path").orElse(""))
              .error(error.optionalText("error").orElse(""))
              .build());
    }
    return builder.build();
  }
}
