package io.kanister.controller.widget;

public class WidgetSpec {
  private int size;

  public int getSize() {
    return size;
  }

  public void setSize(int size) {
    this.size = size;
  }
}
