package io.kanister.controller.widget;

import io.kanister.controller.status.Condition;
import java.util.ArrayList;
import java.util.List;

public class WidgetStatus {
  private Integer observedSize;
  private List<Condition> conditions = new ArrayList<>();

  public Integer getObservedSize() {
    return observedSize;
  }

  public void setObservedSize(Integer observedSize) {
    this.observedSize = observedSize;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
