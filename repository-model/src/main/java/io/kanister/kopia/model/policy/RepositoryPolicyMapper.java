package io.kanister.kopia.model.policy;

import io.kanister.kopia.core.duration.GoDuration;
import io.kanister.kopia.core.policy.CompressionPolicy;
import io.kanister.kopia.core.policy.ErrorHandlingPolicy;
import io.kanister.kopia.core.policy.FilesPolicy;
import io.kanister.kopia.core.policy.ImmutableSchedulingPolicy;
import io.kanister.kopia.core.policy.InvalidPolicyException;
import io.kanister.kopia.core.policy.LoggingPolicy;
import io.kanister.kopia.core.policy.Policy;
import io.kanister.kopia.core.policy.PolicyTarget;
import io.kanister.kopia.core.policy.RetentionPolicy;
import io.kanister.kopia.core.policy.SchedulingPolicy;
import io.kanister.kopia.core.policy.TimeOfDay;
import io.kanister.kopia.core.policy.UploadPolicy;
import io.kanister.kopia.model.validation.ProblemCollector;
import io.kanister.kopia.model.validation.Validated;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Repository's policy fields into kopia-core {@link Policy} values. The API server already
 * enforces the schema; this checks again because the controller must never hand Kopia a value it
 * has not validated, and names every problem by its field path.
 */
public final class RepositoryPolicyMapper {
  public static final String GLOBAL_POLICY_PATH = "spec.policy";
  public static final String TARGETED_POLICIES_PATH = "spec.policies";

  private static final Pattern DURATION = Pattern.compile(RepositoryPolicySpec.DURATION);

  private RepositoryPolicyMapper() {}

  /** The global policy ({@code spec.policy}, absent = empty) and every targeted one. */
  public static Validated<Map<PolicyTarget, Policy>> policies(
      RepositoryPolicySpec global, List<TargetedPolicySpec> targeted) {
    ProblemCollector problems = new ProblemCollector();
    Map<PolicyTarget, Policy> policies = new LinkedHashMap<>();
    add(problems, policies, PolicyTarget.global(), toPolicy(global, GLOBAL_POLICY_PATH));
    List<TargetedPolicySpec> entries = targeted == null ? List.of() : targeted;
    for (int i = 0; i < entries.size(); i++) {
      String path = TARGETED_POLICIES_PATH + "[" + i + "]";
      TargetedPolicySpec entry = entries.get(i);
      Optional<PolicyTarget> target = target(entry.getTarget(), path + ".target", problems);
      Validated<Policy> policy = toPolicy(entry.getPolicy(), path + ".policy");
      if (target.isEmpty()) {
        problems.addAll(policy.problems());
        continue;
      }
      if (policies.containsKey(target.get())) {
        problems.add(
            path + ".target",
            "target '" + entry.getTarget() + "' appears twice; merge the two entries");
        continue;
      }
      if (target.get().kind() == PolicyTarget.Kind.PATH
          && entry.getPolicy() != null
          && entry.getPolicy().getMaxParallelSnapshots() != null) {
        problems.add(
            path + ".policy.maxParallelSnapshots",
            "applies to host and user targets only; Kopia rejects it on a path target");
      }
      add(problems, policies, target.get(), policy);
    }
    return problems.result(() -> Map.copyOf(policies));
  }

  /** One policy; a {@code null} spec defines nothing. {@code path} prefixes every problem. */
  public static Validated<Policy> toPolicy(RepositoryPolicySpec spec, String path) {
    if (spec == null) {
      return Validated.valid(Policy.empty());
    }
    ProblemCollector problems = new ProblemCollector();
    Fields fields = new Fields(path, problems);
    RetentionPolicy retention = retention(spec, fields);
    FilesPolicy files = files(spec, fields);
    SchedulingPolicy scheduling = scheduling(spec, fields);
    CompressionPolicy compression = compression(spec, fields);
    UploadPolicy upload = upload(spec, fields);
    LoggingPolicy logging = logging(spec, fields);
    ErrorHandlingPolicy errorHandling =
        ErrorHandlingPolicy.builder()
            .ignoreFileErrors(Optional.ofNullable(spec.getIgnoreFileErrors()))
            .ignoreDirectoryErrors(Optional.ofNullable(spec.getIgnoreDirErrors()))
            .ignoreUnknownTypes(Optional.ofNullable(spec.getIgnoreUnknownTypes()))
            .build();
    return problems.result(
        () ->
            Policy.builder()
                .retention(retention)
                .files(files)
                .errorHandling(errorHandling)
                .scheduling(scheduling)
                .compression(compression)
                .metadataCompressor(
                    Optional.ofNullable(spec.getMetadataCompression())
                        .map(PolicyCompressor::toKopia))
                .splitter(Optional.ofNullable(spec.getSplitter()).map(PolicySplitter::toKopia))
                .upload(upload)
                .logging(logging)
                .volumeShadowCopy(
                    Optional.ofNullable(spec.getEnableVolumeShadowCopy())
                        .map(PolicyVolumeShadowCopy::toKopia))
                .noParent(Boolean.FALSE.equals(spec.getInherit()))
                .build());
  }

  private static RetentionPolicy retention(RepositoryPolicySpec spec, Fields fields) {
    return fields.build(
        "",
        () ->
            RetentionPolicy.builder()
                .keepLatest(fields.atLeast("keepLatest", spec.getKeepLatest(), 0))
                .keepHourly(fields.atLeast("keepHourly", spec.getKeepHourly(), 0))
                .keepDaily(fields.atLeast("keepDaily", spec.getKeepDaily(), 0))
                .keepWeekly(fields.atLeast("keepWeekly", spec.getKeepWeekly(), 0))
                .keepMonthly(fields.atLeast("keepMonthly", spec.getKeepMonthly(), 0))
                .keepAnnual(fields.atLeast("keepAnnual", spec.getKeepAnnual(), 0))
                .ignoreIdenticalSnapshots(Optional.ofNullable(spec.getIgnoreIdenticalSnapshots()))
                .build(),
        RetentionPolicy.builder().build());
  }

  private static FilesPolicy files(RepositoryPolicySpec spec, Fields fields) {
    List<String> ignores = fields.nonBlank("addIgnore", spec.getAddIgnore());
    List<String> dotIgnores = fields.nonBlank("addDotIgnore", spec.getAddDotIgnore());
    for (int i = 0; i < spec.getAddDotIgnore().size(); i++) {
      String name = spec.getAddDotIgnore().get(i);
      if (name != null && name.contains("/")) {
        fields.problem(
            "addDotIgnore[" + i + "]", "must be a file name such as .kopiaignore, not a path");
      }
    }
    Optional<Long> maxFileSize = fields.atLeast("maxFileSize", spec.getMaxFileSize(), 1L);
    return fields.build(
        "",
        () ->
            FilesPolicy.builder()
                .ignoreRules(ignores)
                .dotIgnoreFiles(dotIgnores.stream().filter(n -> !n.contains("/")).toList())
                .maxFileSize(maxFileSize)
                .oneFileSystem(Optional.ofNullable(spec.getOneFileSystem()))
                .ignoreCacheDirs(Optional.ofNullable(spec.getIgnoreCacheDirs()))
                .build(),
        FilesPolicy.builder().build());
  }

  private static SchedulingPolicy scheduling(RepositoryPolicySpec spec, Fields fields) {
    Optional<Duration> interval = interval(spec.getSnapshotInterval(), fields);
    ImmutableSchedulingPolicy.Builder builder = SchedulingPolicy.builder().interval(interval);
    List<String> times = spec.getSnapshotTime();
    for (int i = 0; i < times.size(); i++) {
      String field = "snapshotTime[" + i + "]";
      String text = times.get(i) == null ? "" : times.get(i).trim();
      try {
        builder.addTimesOfDay(TimeOfDay.parse(text));
      } catch (InvalidPolicyException e) {
        fields.problem(field, "must be HH:MM on a 24-hour clock, e.g. 06:30; got '" + text + "'");
      }
    }
    List<String> crontab = fields.nonBlank("snapshotTimeCrontab", spec.getSnapshotTimeCrontab());
    for (int i = 0; i < spec.getSnapshotTimeCrontab().size(); i++) {
      String line = spec.getSnapshotTimeCrontab().get(i);
      if (line != null && line.contains(";")) {
        fields.problem(
            "snapshotTimeCrontab[" + i + "]",
            "must not contain ';'; give each expression as its own list entry");
      } else if (line != null && !line.isBlank()) {
        // Checked here, not only in the webhook: without it a bad line reaches kopia.
        int index = i;
        CronExpression.problem(line)
            .ifPresent(p -> fields.problem("snapshotTimeCrontab[" + index + "]", p));
      }
    }
    // Kopia stores each expression trimmed; trimming here keeps the policy diff stable.
    builder.cronExpressions(
        crontab.stream().filter(c -> !c.contains(";")).map(String::strip).toList());
    boolean manual = Boolean.TRUE.equals(spec.getManual());
    builder.manual(manual).runMissed(Optional.ofNullable(spec.getRunMissed()));
    if (manual
        && (spec.getSnapshotInterval() != null
            || !times.isEmpty()
            || !crontab.isEmpty()
            || spec.getRunMissed() != null)) {
      fields.problem(
          "manual",
          "cannot be combined with snapshotInterval, snapshotTime, snapshotTimeCrontab or"
              + " runMissed; remove manual or the scheduling fields");
      return SchedulingPolicy.builder().build();
    }
    return fields.build("", builder::build, SchedulingPolicy.builder().build());
  }

  private static Optional<Duration> interval(String text, Fields fields) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      fields.problem(
          "snapshotInterval",
          "must be a duration in whole hours, minutes and seconds, e.g. 6h, 30m or 1h30m; got '"
              + text
              + "'");
      return Optional.empty();
    }
    Duration interval = GoDuration.parse(text.trim());
    if (interval.isZero()) {
      fields.problem("snapshotInterval", "must be at least 1s, e.g. 6h or 1h30m");
      return Optional.empty();
    }
    return Optional.of(interval);
  }

  private static CompressionPolicy compression(RepositoryPolicySpec spec, Fields fields) {
    Optional<Long> min = fields.atLeast("compressionMinSize", spec.getCompressionMinSize(), 1L);
    Optional<Long> max = fields.atLeast("compressionMaxSize", spec.getCompressionMaxSize(), 1L);
    if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
      fields.problem("compressionMinSize", "must not be greater than compressionMaxSize");
    }
    List<String> only = fields.nonBlank("addOnlyCompress", spec.getAddOnlyCompress());
    List<String> never = fields.nonBlank("addNeverCompress", spec.getAddNeverCompress());
    return fields.build(
        "",
        () ->
            CompressionPolicy.builder()
                .compressor(
                    Optional.ofNullable(spec.getCompression()).map(PolicyCompressor::toKopia))
                .minSize(min)
                .maxSize(max)
                .onlyCompress(only)
                .neverCompress(never)
                .build(),
        CompressionPolicy.builder().build());
  }

  private static UploadPolicy upload(RepositoryPolicySpec spec, Fields fields) {
    return fields.build(
        "",
        () ->
            UploadPolicy.builder()
                .maxParallelSnapshots(
                    fields.atLeast("maxParallelSnapshots", spec.getMaxParallelSnapshots(), 1))
                .maxParallelFileReads(
                    fields.atLeast("maxParallelFileReads", spec.getMaxParallelFileReads(), 1))
                .parallelUploadAboveSizeMib(
                    fields.atLeast(
                        "parallelUploadAboveSizeMib", spec.getParallelUploadAboveSizeMib(), 0))
                .build(),
        UploadPolicy.builder().build());
  }

  private static LoggingPolicy logging(RepositoryPolicySpec spec, Fields fields) {
    return fields.build(
        "",
        () ->
            LoggingPolicy.builder()
                .directorySnapshotted(
                    fields.logLevel("logDirSnapshotted", spec.getLogDirSnapshotted()))
                .directoryIgnored(fields.logLevel("logDirIgnored", spec.getLogDirIgnored()))
                .entrySnapshotted(
                    fields.logLevel("logEntrySnapshotted", spec.getLogEntrySnapshotted()))
                .entryIgnored(fields.logLevel("logEntryIgnored", spec.getLogEntryIgnored()))
                .entryCacheHit(fields.logLevel("logEntryCacheHit", spec.getLogEntryCacheHit()))
                .entryCacheMiss(fields.logLevel("logEntryCacheMiss", spec.getLogEntryCacheMiss()))
                .build(),
        LoggingPolicy.builder().build());
  }

  private static Optional<PolicyTarget> target(
      String text, String path, ProblemCollector problems) {
    if (text == null || text.isBlank()) {
      problems.add(path, "is required: @host, user@host or user@host:/path");
      return Optional.empty();
    }
    if (text.trim().equals(PolicyTarget.GLOBAL_NAME)) {
      problems.add(path, "the global policy goes in spec.policy, not in spec.policies");
      return Optional.empty();
    }
    try {
      PolicyTarget target = PolicyTarget.parse(text.trim());
      if (target.kind() == PolicyTarget.Kind.GLOBAL) {
        problems.add(path, "the global policy goes in spec.policy, not in spec.policies");
        return Optional.empty();
      }
      return Optional.of(target);
    } catch (InvalidPolicyException e) {
      problems.add(path, e.getMessage());
      return Optional.empty();
    }
  }

  private static void add(
      ProblemCollector problems,
      Map<PolicyTarget, Policy> policies,
      PolicyTarget target,
      Validated<Policy> policy) {
    if (policy.isValid()) {
      policies.put(target, policy.value());
    } else {
      problems.addAll(policy.problems());
    }
  }

  /** Field checks for one policy, all problems named {@code <path>.<field>}. */
  private record Fields(String path, ProblemCollector problems) {
    void problem(String field, String message) {
      problems.add(field.isEmpty() ? path : path + "." + field, message);
    }

    <N extends Number & Comparable<N>> Optional<N> atLeast(String field, N value, N min) {
      if (value != null && value.compareTo(min) < 0) {
        problem(field, "must be " + min + " or more; got " + value);
        return Optional.empty();
      }
      return Optional.ofNullable(value);
    }

    Optional<Integer> logLevel(String field, Integer value) {
      if (value != null && (value < 0 || value > LoggingPolicy.MAX_LEVEL)) {
        problem(field, "must be a log level from 0 (none) to 10 (most); got " + value);
        return Optional.empty();
      }
      return Optional.ofNullable(value);
    }

    List<String> nonBlank(String field, List<String> values) {
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null || values.get(i).isBlank()) {
          problem(field + "[" + i + "]", "must not be empty; remove the entry");
        }
      }
      return values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }

    /** Builds a section; kopia-core's own checks become problems instead of exceptions. */
    <T> T build(String field, Supplier<T> build, T fallback) {
      try {
        return build.get();
      } catch (InvalidPolicyException e) {
        problem(field, e.getMessage());
        return fallback;
      }
    }
  }
}
