package io.kanister.controller.widget;

import java.util.ArrayList;
import java.util.List;

public class WidgetStatus {
  private Integer observedSize;
  private List<WidgetCondition> conditions = new ArrayList<>();

  public Integer getObservedSize() {
    return observedSize;
  }

  public void setObservedSize(Integer observedSize) {
    this.observedSize = observedSize;
  }

  public List<WidgetCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<WidgetCondition> conditions) {
    this.conditions = conditions;
  }

  /** Replaces the condition of the same type. */
  public void set(WidgetCondition condition) {
    conditions.removeIf(c -> condition.type.equals(c.type));
    conditions.add(condition);
  }

  public boolean isTrue(String type) {
    return conditions.stream().anyMatch(c -> type.equals(c.type) && "True".equals(c.status));
  }
}
