package io.kanister.kopia.core.policy;

import io.kanister.kopia.core.duration.GoDuration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code kopia policy set} flags that turn a target's actual <em>defined</em> policy into the
 * desired one.
 *
 * <p>"Absent" means not defined on the target: an empty optional, an empty collection, {@code
 * manual == false} or {@code noParent == false}. A field present in {@code actual} but absent in
 * {@code desired} is removed so the target inherits it again ({@code --x=inherit}, {@code
 * --snapshot-interval=0}, {@code --clear-x} for add/remove lists, {@code --no-manual}, {@code
 * --inherit=true}). A field absent in both is left alone. {@code actual} must be the defined policy
 * (from {@code policy list --json}, or {@link Policy#empty()} when the target has none), never the
 * effective one printed by {@code policy show}, or inherited values would be written as overrides.
 *
 * <p>Switching a target that defines {@code runMissed} to manual scheduling takes two passes: Kopia
 * ignores {@code --run-missed} next to {@code --manual} but refuses to store a manual policy that
 * defines it. The first result therefore removes {@code runMissed} without {@code --manual}, and
 * diffing the updated policy again yields {@code --manual}. Callers that loop until the diff is
 * empty (as a reconciler does) converge; others should diff again after writing.
 *
 * <p>Lists are compared as sets: add/remove flags cannot reorder Kopia's lists. Snapshot actions
 * are not modelled and therefore never touched.
 *
 * <p>Flags come in a fixed order (retention, files, error handling, scheduling, compression,
 * splitter, upload, logging, shadow copy, inheritance, manual), so equal inputs give equal output.
 */
public final class PolicyDiff {
  private PolicyDiff() {}

  /**
   * The full argument list for {@code policy set}: the target followed by the flags, or an empty
   * list when nothing differs (the caller then runs no command).
   *
   * @throws InvalidPolicyException if {@code desired} cannot be written to this kind of target
   */
  public static List<String> diff(PolicyTarget target, Policy desired, Policy actual) {
    checkFitsTarget(target, desired);
    List<String> flags = diff(desired, actual);
    if (flags.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(flags.size() + 1);
    args.add(target.cliArgument());
    args.addAll(flags);
    return List.copyOf(args);
  }

  /** Only the flags, without a target; empty when nothing differs. */
  public static List<String> diff(Policy desired, Policy actual) {
    PolicySetFlags flags = new PolicySetFlags();
    retention(flags, desired.retention(), actual.retention());
    files(flags, desired.files(), actual.files());
    errorHandling(flags, desired.errorHandling(), actual.errorHandling());
    scheduling(flags, desired.scheduling(), actual.scheduling());
    compression(flags, desired.compression(), actual.compression());
    flags.value(
        "metadata-compression",
        desired.metadataCompressor(),
        actual.metadataCompressor(),
        Compressor::kopiaName);
    flags.value("splitter", desired.splitter(), actual.splitter(), SplitterAlgorithm::kopiaName);
    upload(flags, desired.upload(), actual.upload());
    logging(flags, desired.logging(), actual.logging());
    flags.value(
        "enable-volume-shadow-copy",
        desired.volumeShadowCopy(),
        actual.volumeShadowCopy(),
        VolumeShadowCopyMode::kopiaName);
    if (desired.noParent() != actual.noParent()) {
      // The grammar lists --no-inherit, but kopia v0.23.1 rejects it ("unknown long flag"): the
      // flag takes a value, --inherit=false sets noParent.
      flags.add("inherit", String.valueOf(!desired.noParent()));
    }
    manual(flags, desired.scheduling(), actual.scheduling());
    return flags.toList();
  }

  static void checkFitsTarget(PolicyTarget target, Policy policy) {
    if (target.kind() == PolicyTarget.Kind.PATH
        && policy.upload().maxParallelSnapshots().isPresent()) {
      throw new InvalidPolicyException(
          "maxParallelSnapshots cannot be set on path target "
              + target.text()
              + ", only on global, host or user targets");
    }
  }

  private static void retention(PolicySetFlags flags, RetentionPolicy want, RetentionPolicy have) {
    flags.value("keep-latest", want.keepLatest(), have.keepLatest(), String::valueOf);
    flags.value("keep-hourly", want.keepHourly(), have.keepHourly(), String::valueOf);
    flags.value("keep-daily", want.keepDaily(), have.keepDaily(), String::valueOf);
    flags.value("keep-weekly", want.keepWeekly(), have.keepWeekly(), String::valueOf);
    flags.value("keep-monthly", want.keepMonthly(), have.keepMonthly(), String::valueOf);
    flags.value("keep-annual", want.keepAnnual(), have.keepAnnual(), String::valueOf);
    flags.triState(
        "ignore-identical-snapshots",
        want.ignoreIdenticalSnapshots(),
        have.ignoreIdenticalSnapshots());
  }

  private static void files(PolicySetFlags flags, FilesPolicy want, FilesPolicy have) {
    flags.editedList("ignore", want.ignoreRules(), have.ignoreRules());
    flags.editedList("dot-ignore", want.dotIgnoreFiles(), have.dotIgnoreFiles());
    flags.value("max-file-size", want.maxFileSize(), have.maxFileSize(), String::valueOf);
    flags.triState("one-file-system", want.oneFileSystem(), have.oneFileSystem());
    flags.triState("ignore-cache-dirs", want.ignoreCacheDirs(), have.ignoreCacheDirs());
  }

  private static void errorHandling(
      PolicySetFlags flags, ErrorHandlingPolicy want, ErrorHandlingPolicy have) {
    flags.triState("ignore-file-errors", want.ignoreFileErrors(), have.ignoreFileErrors());
    flags.triState("ignore-dir-errors", want.ignoreDirectoryErrors(), have.ignoreDirectoryErrors());
    flags.triState("ignore-unknown-types", want.ignoreUnknownTypes(), have.ignoreUnknownTypes());
  }

  private static void scheduling(
      PolicySetFlags flags, SchedulingPolicy want, SchedulingPolicy have) {
    // --manual clears interval, times and cron itself, and refuses to be combined with them.
    if (!want.manual()) {
      flags.valueOrUnset(
          "snapshot-interval", want.interval(), have.interval(), GoDuration::format, "0");
      flags.replacedList(
          "snapshot-time",
          sortedTimes(want),
          sortedTimes(have),
          want.timesOfDay().isEmpty(),
          times -> times.stream().map(TimeOfDay::text).collect(Collectors.joining(",")));
      flags.replacedList(
          "snapshot-time-crontab",
          want.cronExpressions(),
          have.cronExpressions(),
          want.cronExpressions().isEmpty(),
          cron -> String.join(";", cron));
    }
    flags.triState("run-missed", want.runMissed(), have.runMissed());
  }

  private static List<TimeOfDay> sortedTimes(SchedulingPolicy scheduling) {
    return scheduling.timesOfDay().stream().sorted().collect(Collectors.toList());
  }

  /**
   * Kopia resets a defined {@code manual=true} on any {@code policy set} that lacks {@code
   * --manual}, so a still-manual policy must repeat it whenever anything else is written.
   */
  private static void manual(PolicySetFlags flags, SchedulingPolicy want, SchedulingPolicy have) {
    if (want.manual()) {
      // With --manual, kopia v0.23.1 ignores --run-missed yet rejects a manual policy that still
      // defines runMissed, so this pass only drops runMissed and the next diff adds --manual.
      if (have.runMissed().isEmpty() && (!have.manual() || !flags.isEmpty())) {
        flags.bare("--manual");
      }
    } else if (have.manual()) {
      flags.bare("--no-manual");
    }
  }

  private static void compression(
      PolicySetFlags flags, CompressionPolicy want, CompressionPolicy have) {
    flags.value("compression", want.compressor(), have.compressor(), Compressor::kopiaName);
    flags.value("compression-min-size", want.minSize(), have.minSize(), String::valueOf);
    flags.value("compression-max-size", want.maxSize(), have.maxSize(), String::valueOf);
    flags.editedList("only-compress", want.onlyCompress(), have.onlyCompress());
    flags.editedList("never-compress", want.neverCompress(), have.neverCompress());
  }

  private static void upload(PolicySetFlags flags, UploadPolicy want, UploadPolicy have) {
    flags.value(
        "max-parallel-snapshots",
        want.maxParallelSnapshots(),
        have.maxParallelSnapshots(),
        String::valueOf);
    flags.value(
        "max-parallel-file-reads",
        want.maxParallelFileReads(),
        have.maxParallelFileReads(),
        String::valueOf);
    flags.value(
        "parallel-upload-above-size-mib",
        want.parallelUploadAboveSizeMib(),
        have.parallelUploadAboveSizeMib(),
        String::valueOf);
  }

  private static void logging(PolicySetFlags flags, LoggingPolicy want, LoggingPolicy have) {
    flags.value(
        "log-dir-snapshotted",
        want.directorySnapshotted(),
        have.directorySnapshotted(),
        String::valueOf);
    flags.value(
        "log-dir-ignored", want.directoryIgnored(), have.directoryIgnored(), String::valueOf);
    flags.value(
        "log-entry-snapshotted", want.entrySnapshotted(), have.entrySnapshotted(), String::valueOf);
    flags.value("log-entry-ignored", want.entryIgnored(), have.entryIgnored(), String::valueOf);
    flags.value("log-entry-cache-hit", want.entryCacheHit(), have.entryCacheHit(), String::valueOf);
    flags.value(
        "log-entry-cache-miss", want.entryCacheMiss(), have.entryCacheMiss(), String::valueOf);
  }
}
