package io.kanister.controller.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.controller.widget.Widget;
import org.junit.jupiter.api.Test;

class EventPredicateTest {

  @Test
  void generationChangedSkipsStatusOnlyUpdates() {
    var before = widget(1L);
    var statusOnly = widget(1L);
    var specChange = widget(2L);
    EventPredicate<Widget> predicate = EventPredicate.generationChanged();

    assertThat(predicate.onUpdate(before, statusOnly)).isFalse();
    assertThat(predicate.onUpdate(before, specChange)).isTrue();
    assertThat(predicate.onCreate(before)).isTrue();
    assertThat(predicate.onDelete(before)).isTrue();
  }

  @Test
  void matchingPassesUpdatesWhereEitherVersionMatches() {
    EventPredicate<Widget> large = EventPredicate.matching(w -> w.getSpec().getSize() > 5);
    var small = Widget.named("ns", "w", 1);
    var big = Widget.named("ns", "w", 10);

    assertThat(large.onCreate(small)).isFalse();
    assertThat(large.onUpdate(big, small)).isTrue();
    assertThat(large.and(EventPredicate.generationChanged()).onCreate(big)).isTrue();
  }

  private static Widget widget(Long generation) {
    var widget = Widget.named("ns", "w", 1);
    widget.getMetadata().setGeneration(generation);
    return widget;
  }
}
