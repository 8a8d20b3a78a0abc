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
}
