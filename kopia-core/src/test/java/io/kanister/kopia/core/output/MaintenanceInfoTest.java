package io.kanister.kopia.core.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceInfoTest {

  @Test
  void parsesCapturedMaintenanceInfo() {
    MaintenanceInfo info = MaintenanceInfo.parse(CapturedOutput.read("maintenance-info.json"));

    assertThat(info.owner()).contains("root@vm");
    assertThat(info.quick().enabled()).isTrue();
    assertThat(info.quick().interval()).isEqualTo(Duration.ofHours(1));
    assertThat(info.full().enabled()).isTrue();
    assertThat(info.full().interval()).isEqualTo(Duration.ofHours(24));
    assertThat(info.nextFullMaintenance())
        .contains(Instant.parse("2026-11-29T03:25:02.254270273Z"));
    assertThat(info.nextQuickMaintenance())
        .contains(Instant.parse("2026-11-28T04:25:02.254270403Z"));
    assertThat(info.runs()).containsKeys("snapshot-gc", "full-rewrite-contents", "cleanup-logs");
    assertThat(info.runs().get("snapshot-gc"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.success()).isTrue();
              assertThat(run.error()).isEmpty();
              assertThat(run.start()).isEqualTo(Instant.parse("2026-11-28T03:25:02.258241594Z"));
            });
  }

  @Test
  void freshRepositoryWithoutScheduleOrOwner() {
    MaintenanceInfo info =
        MaintenanceInfo.parse(
            "{\"owner\":\"\",\"quick\":{\"enabled\":false,\"interval\":0},"
                + "\"full\":{\"enabled\":false,\"interval\":0}}");

    assertThat(info.owner()).isEmpty();
    assertThat(info.quick().enabled()).isFalse();
    assertThat(info.full().interval()).isEqualTo(Duration.ZERO);
    assertThat(info.nextFullMaintenance()).isEmpty();
    assertThat(info.runs()).isEmpty();
  }
}
