package io.kanister.controller.widget;

/**
 * A Widget's status condition. The runtime carries no condition type of its own: a condition's
 * schema belongs to the resource that reports it. Public fields: Jackson needs no more here.
 */
public class WidgetCondition {
  public String type;
  public String status;
  public String reason;
  public String message;
  public Long observedGeneration;

  public WidgetCondition() {}

  public WidgetCondition(String type, String status, String reason, String message, Long gen) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.observedGeneration = gen;
  }
}
