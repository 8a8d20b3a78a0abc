package io.kanister.kopia.core.duration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void formatsTheShortestGoSpelling() {
    assertThat(GoDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(GoDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void parsesWhatItFormats() {
    for (Duration d :
        new Duration[] {Duration.ofHours(24), Duration.ofSeconds(3725), Duration.ofSeconds(1)}) {
      assertThat(GoDuration.parse(GoDuration.format(d))).isEqualTo(d);
    }
    assertThat(GoDuration.parse("6h")).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void tryParseReadsOnlyWholeGoDurations() {
    assertThat(GoDuration.tryParse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(GoDuration.tryParse("10m")).contains(Duration.ofMinutes(10));
    assertThat(GoDuration.tryParse("0s")).contains(Duration.ZERO);
    for (String bad : new String[] {"", "soon", "10", "5ms", "1m1h", "-1s", " 1s", "1.5h"}) {
      assertThat(GoDuration.tryParse(bad)).as("'%s'", bad).isEmpty();
    }
    assertThat(GoDuration.tryParse(null)).isEmpty();
    assertThat(GoDuration.tryParse("99999999999999999999s")).isEmpty();
  }
}
