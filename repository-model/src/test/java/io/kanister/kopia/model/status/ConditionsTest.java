package io.kanister.kopia.model.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");
  private static final Instant T2 = Instant.parse("2026-01-01T00:10:00Z");
  private final List<Condition> conditions = new ArrayList<>();

  @Test
  void aNewConditionGetsBothTimes() {
    assertThat(Conditions.set(conditions, ready(Condition.FALSE, "Starting", 1L), T0)).isTrue();

    var ready = Conditions.find(conditions, "Ready").orElseThrow();
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ready.getLastUpdateTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ready.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void transitionTimeMovesOnlyWhenStatusFlips() {
    Conditions.set(conditions, ready(Condition.FALSE, "Starting", 1L), T0);

    assertThat(Conditions.set(conditions, ready(Condition.FALSE, "StillStarting", 2L), T1))
        .isTrue();
    var ready = Conditions.find(conditions, "Ready").orElseThrow();
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ready.getLastUpdateTime()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(ready.getReason()).isEqualTo("StillStarting");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);

    Conditions.set(conditions, ready(Condition.TRUE, "Serving", 2L), T2);
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:10:00Z");
    assertThat(Conditions.isTrue(conditions, "Ready")).isTrue();
  }

  @Test
  void anIdenticalConditionChangesNothing() {
    Conditions.set(conditions, ready(Condition.TRUE, "Serving", 3L), T0);

    assertThat(Conditions.set(conditions, ready(Condition.TRUE, "Serving", 3L), T1)).isFalse();
    var ready = Conditions.find(conditions, "Ready").orElseThrow();
    assertThat(ready.getLastUpdateTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void conditionsOfOtherTypesAreLeftAlone() {
    Conditions.set(conditions, ready(Condition.TRUE, "Serving", 1L), T0);
    Conditions.set(conditions, new Condition("Degraded", Condition.FALSE, "Fine", ""), T1);

    assertThat(conditions).extracting(Condition::getType).containsExactly("Ready", "Degraded");
    assertThat(Conditions.remove(conditions, "Degraded")).isTrue();
    assertThat(Conditions.isTrue(conditions, "Degraded")).isFalse();
    assertThat(conditions).hasSize(1);
  }

  private static Condition ready(String status, String reason, Long generation) {
    return new Condition("Ready", status, reason, reason + " message")
        .withObservedGeneration(generation);
  }
}
