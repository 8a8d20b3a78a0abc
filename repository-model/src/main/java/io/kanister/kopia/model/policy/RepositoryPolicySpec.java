package io.kanister.kopia.model.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kopia policy as a Repository spells it: one field per {@code kopia policy set} flag, named
 * after the flag (the seed's {@code addIgnore}, {@code keepDaily}, {@code snapshotTime}, ...).
 * Unset fields and empty lists inherit from the parent policy. Lists are declarative: they are the
 * complete set, not additions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.manual) || !self.manual || !(has(self.snapshotInterval)"
            + " || has(self.snapshotTime) || has(self.snapshotTimeCrontab) || has(self.runMissed))",
    message =
        "manual cannot be combined with snapshotInterval, snapshotTime, snapshotTimeCrontab or"
            + " runMissed; remove manual or the scheduling fields",
    fieldPath = ".manual")
@ValidationRule(
    value =
        "!has(self.compressionMinSize) || !has(self.compressionMaxSize)"
            + " || self.compressionMinSize <= self.compressionMaxSize",
    message = "compressionMinSize must not be greater than compressionMaxSize",
    fieldPath = ".compressionMinSize")
public class RepositoryPolicySpec {
  /** A Go duration in whole hours, minutes and seconds, e.g. {@code 6h} or {@code 1h30m}. */
  public static final String DURATION =
      "^([0-9]{1,6}h([0-9]{1,7}m)?([0-9]{1,9}s)?|[0-9]{1,7}m([0-9]{1,9}s)?|[0-9]{1,9}s)$";

  /** {@code HH:MM} on a 24-hour clock; Kopia also takes a one-digit hour. */
  public static final String TIME_OF_DAY = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$";

  /** A crontab line; Kopia takes all of them in one ';'-separated flag value. */
  public static final String CRONTAB = "^[^;]*[^;\\s][^;]*$";

  /** A file name, not a path. */
  public static final String FILE_NAME = "^[^/]+$";

  static final int MAX_ITEMS = 256;
  static final int MAX_TEXT = 1024;

  @JsonPropertyDescription("Number of latest snapshots to keep (--keep-latest).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer keepLatest;

  @JsonPropertyDescription("Number of hourly snapshots to keep (--keep-hourly).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer keepHourly;

  @JsonPropertyDescription("Number of daily snapshots to keep (--keep-daily).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer keepDaily;

  @JsonPropertyDescription("Number of weekly snapshots to keep (--keep-weekly).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer keepWeekly;

  @JsonPropertyDescription("Number of monthly snapshots to keep (--keep-monthly).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer keepMonthly;

  @JsonPropertyDescription("Number of annual snapshots to keep (--keep-annual).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer keepAnnual;

  @JsonPropertyDescription("Do not save a snapshot identical to the previous one.")
  private Boolean ignoreIdenticalSnapshots;

  @JsonPropertyDescription(
      "Gitignore-style rules of files to leave out, e.g. /data/cache (--add-ignore). The complete list.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = MAX_ITEMS)
  private List<@Size(min = 1, max = MAX_TEXT) String> addIgnore = new ArrayList<>();

  @JsonPropertyDescription(
      "Names of files holding more ignore rules, e.g. .kopiaignore (--add-dot-ignore). The complete list.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = MAX_ITEMS)
  private List<@Pattern(FILE_NAME) @Size(min = 1, max = MAX_TEXT) String> addDotIgnore =
      new ArrayList<>();

  @JsonPropertyDescription("Skip files larger than this many bytes (--max-file-size).")
  @Min(1)
  @Max(NumericBounds.INT64_EXACT_MAX)
  private Long maxFileSize;

  @JsonPropertyDescription("Stay in the file system of the snapshot root (--one-file-system).")
  private Boolean oneFileSystem;

  @JsonPropertyDescription("Skip directories holding a CACHEDIR.TAG (--ignore-cache-dirs).")
  private Boolean ignoreCacheDirs;

  @JsonPropertyDescription("Finish the snapshot despite file read errors (--ignore-file-errors).")
  private Boolean ignoreFileErrors;

  @JsonPropertyDescription(
      "Finish the snapshot despite directory read errors (--ignore-dir-errors).")
  private Boolean ignoreDirErrors;

  @JsonPropertyDescription("Skip entries of unknown types, e.g. sockets (--ignore-unknown-types).")
  private Boolean ignoreUnknownTypes;

  @JsonPropertyDescription("Time between snapshots, e.g. 6h or 1h30m (--snapshot-interval).")
  @Pattern(DURATION)
  @Size(max = 32)
  // The pattern has checked the form; only zeros between the units means a zero duration.
  @ValidationRule(
      value = "!self.matches('^[0hms]*$')",
      message = "snapshotInterval must be at least 1s, e.g. 6h or 1h30m")
  private String snapshotInterval;

  @JsonPropertyDescription("Times of day (HH:MM, 24-hour) to take snapshots at (--snapshot-time).")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = MAX_ITEMS)
  private List<@Pattern(TIME_OF_DAY) String> snapshotTime = new ArrayList<>();

  @JsonPropertyDescription("Crontab expressions, e.g. '0 3 * * *' (--snapshot-time-crontab).")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = MAX_ITEMS)
  private List<@Pattern(CRONTAB) @Size(min = 1, max = MAX_TEXT) String> snapshotTimeCrontab =
      new ArrayList<>();

  @JsonPropertyDescription(
      "Only take snapshots on demand; excludes the other scheduling fields (--manual).")
  private Boolean manual;

  @JsonPropertyDescription("Take a snapshot missed while nothing was running (--run-missed).")
  private Boolean runMissed;

  @JsonPropertyDescription("Compressor of file contents (--compression).")
  private PolicyCompressor compression;

  @JsonPropertyDescription(
      "Only compress files of at least this many bytes (--compression-min-size).")
  @Min(1)
  @Max(NumericBounds.INT64_EXACT_MAX)
  private Long compressionMinSize;

  @JsonPropertyDescription(
      "Only compress files of at most this many bytes (--compression-max-size).")
  @Min(1)
  @Max(NumericBounds.INT64_EXACT_MAX)
  private Long compressionMaxSize;

  @JsonPropertyDescription(
      "File name patterns that are the only ones compressed, e.g. *.txt (--add-only-compress).")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = MAX_ITEMS)
  private List<@Size(min = 1, max = MAX_TEXT) String> addOnlyCompress = new ArrayList<>();

  @JsonPropertyDescription(
      "File name patterns never compressed, e.g. *.zip (--add-never-compress).")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Size(max = MAX_ITEMS)
  private List<@Size(min = 1, max = MAX_TEXT) String> addNeverCompress = new ArrayList<>();

  @JsonPropertyDescription("Compressor of metadata (--metadata-compression).")
  private PolicyCompressor metadataCompression;

  @JsonPropertyDescription("Splitter of file contents into chunks (--splitter).")
  private PolicySplitter splitter;

  @JsonPropertyDescription(
      "Snapshots uploaded at once; not on path targets (--max-parallel-snapshots).")
  @Min(1)
  @Max(NumericBounds.INT32_MAX)
  private Integer maxParallelSnapshots;

  @JsonPropertyDescription("Files read at once (--max-parallel-file-reads).")
  @Min(1)
  @Max(NumericBounds.INT32_MAX)
  private Integer maxParallelFileReads;

  @JsonPropertyDescription(
      "Upload files above this many MiB in parallel parts (--parallel-upload-above-size-mib).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer parallelUploadAboveSizeMib;

  @JsonPropertyDescription("Log detail, 0 (none) to 10 (--log-dir-snapshotted).")
  @Min(0)
  @Max(10)
  private Integer logDirSnapshotted;

  @JsonPropertyDescription("Log detail, 0 (none) to 10 (--log-dir-ignored).")
  @Min(0)
  @Max(10)
  private Integer logDirIgnored;

  @JsonPropertyDescription("Log detail, 0 (none) to 10 (--log-entry-snapshotted).")
  @Min(0)
  @Max(10)
  private Integer logEntrySnapshotted;

  @JsonPropertyDescription("Log detail, 0 (none) to 10 (--log-entry-ignored).")
  @Min(0)
  @Max(10)
  private Integer logEntryIgnored;

  @JsonPropertyDescription("Log detail, 0 (none) to 10 (--log-entry-cache-hit).")
  @Min(0)
  @Max(10)
  private Integer logEntryCacheHit;

  @JsonPropertyDescription("Log detail, 0 (none) to 10 (--log-entry-cache-miss).")
  @Min(0)
  @Max(10)
  private Integer logEntryCacheMiss;

  @JsonPropertyDescription("Windows Volume Shadow Copy use (--enable-volume-shadow-copy).")
  private PolicyVolumeShadowCopy enableVolumeShadowCopy;

  @JsonPropertyDescription("false stops inheriting from parent policies (--inherit).")
  private Boolean inherit;

  public Integer getKeepLatest() {
    return keepLatest;
  }

  public void setKeepLatest(Integer keepLatest) {
    this.keepLatest = keepLatest;
  }

  public Integer getKeepHourly() {
    return keepHourly;
  }

  public void setKeepHourly(Integer keepHourly) {
    this.keepHourly = keepHourly;
  }

  public Integer getKeepDaily() {
    return keepDaily;
  }

  public void setKeepDaily(Integer keepDaily) {
    this.keepDaily = keepDaily;
  }

  public Integer getKeepWeekly() {
    return keepWeekly;
  }

  public void setKeepWeekly(Integer keepWeekly) {
    this.keepWeekly = keepWeekly;
  }

  public Integer getKeepMonthly() {
    return keepMonthly;
  }

  public void setKeepMonthly(Integer keepMonthly) {
    this.keepMonthly = keepMonthly;
  }

  public Integer getKeepAnnual() {
    return keepAnnual;
  }

  public void setKeepAnnual(Integer keepAnnual) {
    this.keepAnnual = keepAnnual;
  }

  public Boolean getIgnoreIdenticalSnapshots() {
    return ignoreIdenticalSnapshots;
  }

  public void setIgnoreIdenticalSnapshots(Boolean ignoreIdenticalSnapshots) {
    this.ignoreIdenticalSnapshots = ignoreIdenticalSnapshots;
  }

  public List<String> getAddIgnore() {
    return addIgnore;
  }

  public void setAddIgnore(List<String> addIgnore) {
    this.addIgnore = addIgnore == null ? new ArrayList<>() : addIgnore;
  }

  public List<String> getAddDotIgnore() {
    return addDotIgnore;
  }

  public void setAddDotIgnore(List<String> addDotIgnore) {
    this.addDotIgnore = addDotIgnore == null ? new ArrayList<>() : addDotIgnore;
  }

  public Long getMaxFileSize() {
    return maxFileSize;
  }

  public void setMaxFileSize(Long maxFileSize) {
    this.maxFileSize = maxFileSize;
  }

  public Boolean getOneFileSystem() {
    return oneFileSystem;
  }

  public void setOneFileSystem(Boolean oneFileSystem) {
    this.oneFileSystem = oneFileSystem;
  }

  public Boolean getIgnoreCacheDirs() {
    return ignoreCacheDirs;
  }

  public void setIgnoreCacheDirs(Boolean ignoreCacheDirs) {
    this.ignoreCacheDirs = ignoreCacheDirs;
  }

  public Boolean getIgnoreFileErrors() {
    return ignoreFileErrors;
  }

  public void setIgnoreFileErrors(Boolean ignoreFileErrors) {
    this.ignoreFileErrors = ignoreFileErrors;
  }

  public Boolean getIgnoreDirErrors() {
    return ignoreDirErrors;
  }

  public void setIgnoreDirErrors(Boolean ignoreDirErrors) {
    this.ignoreDirErrors = ignoreDirErrors;
  }

  public Boolean getIgnoreUnknownTypes() {
    return ignoreUnknownTypes;
  }

  public void setIgnoreUnknownTypes(Boolean ignoreUnknownTypes) {
    this.ignoreUnknownTypes = ignoreUnknownTypes;
  }

  public String getSnapshotInterval() {
    return snapshotInterval;
  }

  public void setSnapshotInterval(String snapshotInterval) {
    this.snapshotInterval = snapshotInterval;
  }

  public List<String> getSnapshotTime() {
    return snapshotTime;
  }

  public void setSnapshotTime(List<String> snapshotTime) {
    this.snapshotTime = snapshotTime == null ? new ArrayList<>() : snapshotTime;
  }

  public List<String> getSnapshotTimeCrontab() {
    return snapshotTimeCrontab;
  }

  public void setSnapshotTimeCrontab(List<String> snapshotTimeCrontab) {
    this.snapshotTimeCrontab =
        snapshotTimeCrontab == null ? new ArrayList<>() : snapshotTimeCrontab;
  }

  public Boolean getManual() {
    return manual;
  }

  public void setManual(Boolean manual) {
    this.manual = manual;
  }

  public Boolean getRunMissed() {
    return runMissed;
  }

  public void setRunMissed(Boolean runMissed) {
    this.runMissed = runMissed;
  }

  public PolicyCompressor getCompression() {
    return compression;
  }

  public void setCompression(PolicyCompressor compression) {
    this.compression = compression;
  }

  public Long getCompressionMinSize() {
    return compressionMinSize;
  }

  public void setCompressionMinSize(Long compressionMinSize) {
    this.compressionMinSize = compressionMinSize;
  }

  public Long getCompressionMaxSize() {
    return compressionMaxSize;
  }

  public void setCompressionMaxSize(Long compressionMaxSize) {
    this.compressionMaxSize = compressionMaxSize;
  }

  public List<String> getAddOnlyCompress() {
    return addOnlyCompress;
  }

  public void setAddOnlyCompress(List<String> addOnlyCompress) {
    this.addOnlyCompress = addOnlyCompress == null ? new ArrayList<>() : addOnlyCompress;
  }

  public List<String> getAddNeverCompress() {
    return addNeverCompress;
  }

  public void setAddNeverCompress(List<String> addNeverCompress) {
    this.addNeverCompress = addNeverCompress == null ? new ArrayList<>() : addNeverCompress;
  }

  public PolicyCompressor getMetadataCompression() {
    return metadataCompression;
  }

  public void setMetadataCompression(PolicyCompressor metadataCompression) {
    this.metadataCompression = metadataCompression;
  }

  public PolicySplitter getSplitter() {
    return splitter;
  }

  public void setSplitter(PolicySplitter splitter) {
    this.splitter = splitter;
  }

  public Integer getMaxParallelSnapshots() {
    return maxParallelSnapshots;
  }

  public void setMaxParallelSnapshots(Integer maxParallelSnapshots) {
    this.maxParallelSnapshots = maxParallelSnapshots;
  }

  public Integer getMaxParallelFileReads() {
    return maxParallelFileReads;
  }

  public void setMaxParallelFileReads(Integer maxParallelFileReads) {
    this.maxParallelFileReads = maxParallelFileReads;
  }

  public Integer getParallelUploadAboveSizeMib() {
    return parallelUploadAboveSizeMib;
  }

  public void setParallelUploadAboveSizeMib(Integer parallelUploadAboveSizeMib) {
    this.parallelUploadAboveSizeMib = parallelUploadAboveSizeMib;
  }

  public Integer getLogDirSnapshotted() {
    return logDirSnapshotted;
  }

  public void setLogDirSnapshotted(Integer logDirSnapshotted) {
    this.logDirSnapshotted = logDirSnapshotted;
  }

  public Integer getLogDirIgnored() {
    return logDirIgnored;
  }

  public void setLogDirIgnored(Integer logDirIgnored) {
    this.logDirIgnored = logDirIgnored;
  }

  public Integer getLogEntrySnapshotted() {
    return logEntrySnapshotted;
  }

  public void setLogEntrySnapshotted(Integer logEntrySnapshotted) {
    this.logEntrySnapshotted = logEntrySnapshotted;
  }

  public Integer getLogEntryIgnored() {
    return logEntryIgnored;
  }

  public void setLogEntryIgnored(Integer logEntryIgnored) {
    this.logEntryIgnored = logEntryIgnored;
  }

  public Integer getLogEntryCacheHit() {
    return logEntryCacheHit;
  }

  public void setLogEntryCacheHit(Integer logEntryCacheHit) {
    this.logEntryCacheHit = logEntryCacheHit;
  }

  public Integer getLogEntryCacheMiss() {
    return logEntryCacheMiss;
  }

  public void setLogEntryCacheMiss(Integer logEntryCacheMiss) {
    this.logEntryCacheMiss = logEntryCacheMiss;
  }

  public PolicyVolumeShadowCopy getEnableVolumeShadowCopy() {
    return enableVolumeShadowCopy;
  }

  public void setEnableVolumeShadowCopy(PolicyVolumeShadowCopy enableVolumeShadowCopy) {
    this.enableVolumeShadowCopy = enableVolumeShadowCopy;
  }

  public Boolean getInherit() {
    return inherit;
  }

  public void setInherit(Boolean inherit) {
    this.inherit = inherit;
  }
}
