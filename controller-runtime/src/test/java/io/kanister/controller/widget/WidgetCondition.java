package io.kanister.controller.widget;

/**
 * A Widget's status condition. The runtime carries no condition type of its own: a condition's
 * schema belongs to the resource that reports it.
 */
public class WidgetCondition {
  private String type;
  private String status;
  private String reason;
  private String message;
  private Long observedGeneration;

  public WidgetCondition() {}

  public WidgetCondition(String type, String status, String reason, String message, Long gen) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.observedGeneration = gen;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
