package io.kanister.kopia.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyValidationTest {

  @Test
  void rejectsNegativeKeeps() {
    assertThatThrownBy(() -> RetentionPolicy.builder().keepDaily(-1).build())
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("keepDaily must be between 0 and 2147483647, got -1");
  }

  @Test
  void acceptsKeepingZero() {
    assertThat(RetentionPolicy.builder().keepHourly(0).build().keepHourly()).contains(0);
  }

  @Test
  void rejectsBadTimesOfDay() {
    assertThatThrownBy(() -> TimeOfDay.parse("7pm"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("time of day must be HH:MM, got '7pm'");
    assertThatThrownBy(() -> TimeOfDay.parse("24:00"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("time of day hour must be 0-23, got 24");
    assertThatThrownBy(() -> TimeOfDay.parse("12:60"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("time of day minute must be 0-59, got 60");
  }

  @Test
  void parsesTimesOfDayWithOneOrTwoHourDigits() {
    assertThat(TimeOfDay.parse("2:30")).isEqualTo(TimeOfDay.of(2, 30));
    assertThat(TimeOfDay.parse("02:30").text()).isEqualTo("02:30");
  }

  @Test
  void rejectsIntervalsKopiaCannotStore() {
    assertThatThrownBy(() -> SchedulingPolicy.builder().interval(Duration.ZERO).build())
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("scheduling interval must be a positive whole number of seconds, got PT0S");
    assertThatThrownBy(() -> SchedulingPolicy.builder().interval(Duration.ofMillis(1500)).build())
        .hasMessage("scheduling interval must be a positive whole number of seconds, got PT1.5S");
  }

  @Test
  void rejectsManualCombinedWithASchedule() {
    assertThatThrownBy(
            () -> SchedulingPolicy.builder().manual(true).addCronExpressions("0 3 * * *").build())
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(
            "manual scheduling cannot be combined with an interval, times of day, cron expressions"
                + " or runMissed");
    assertThatThrownBy(() -> SchedulingPolicy.builder().manual(true).runMissed(false).build())
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("manual scheduling cannot be combined");
  }

  @Test
  void rejectsCronExpressionsThatWouldSplitOnTheCommandLine() {
    assertThatThrownBy(() -> SchedulingPolicy.builder().addCronExpressions("0 3 * * *;x").build())
        .hasMessage("cron expression must not contain ';': '0 3 * * *;x'");
  }

  @Test
  void rejectsLoggingLevelsAboveTen() {
    assertThatThrownBy(() -> LoggingPolicy.builder().entryIgnored(11).build())
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("logging entryIgnored must be between 0 and 10, got 11");
  }

  @Test
  void rejectsSizesKopiaWouldReadAsUnset() {
    assertThatThrownBy(() -> CompressionPolicy.builder().minSize(0L).build())
        .hasMessage("compression minSize must be at least 1, got 0");
    assertThatThrownBy(() -> FilesPolicy.builder().maxFileSize(0L).build())
        .hasMessage("maxFileSize must be at least 1, got 0");
  }

  @Test
  void rejectsBlankListEntriesAndDotIgnorePaths() {
    assertThatThrownBy(() -> FilesPolicy.builder().addIgnoreRules(" ").build())
        .hasMessage("ignoreRules must not contain blank entries");
    assertThatThrownBy(() -> FilesPolicy.builder().addDotIgnoreFiles("a/.ignore").build())
        .hasMessage("dotIgnoreFiles entries are file names, not paths: 'a/.ignore'");
  }

  @Test
  void rejectsNonPositiveParallelism() {
    assertThatThrownBy(() -> UploadPolicy.builder().maxParallelFileReads(0).build())
        .hasMessage("maxParallelFileReads must be between 1 and 2147483647, got 0");
  }

  @Test
  void mapsKopiaNamesBothWays() {
    for (Compressor c : Compressor.values()) {
      assertThat(Compressor.fromKopiaName(c.kopiaName())).isEqualTo(c);
    }
    for (SplitterAlgorithm s : SplitterAlgorithm.values()) {
      assertThat(SplitterAlgorithm.fromKopiaName(s.kopiaName())).isEqualTo(s);
    }
    assertThat(VolumeShadowCopyMode.fromJsonCode(2)).isEqualTo(VolumeShadowCopyMode.WHEN_AVAILABLE);
  }
}
