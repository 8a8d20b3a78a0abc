package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One maintenance run the operator started: when, and how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceRunStatus {
  /** Longer messages are cut, so a chatty failure never makes the status too large to write. */
  public static final int MAX_MESSAGE = 512;

  @JsonPropertyDescription("When the run started (RFC 3339).")
  @Size(max = 64)
  private String start;

  @JsonPropertyDescription("When the run ended (RFC 3339).")
  @Size(max = 64)
  private String end;

  @JsonPropertyDescription("Succeeded, Failed or Cancelled.")
  @Size(max = 32)
  private String result;

  @JsonPropertyDescription("Why it failed, or a short note; never a secret.")
  @Size(max = MAX_MESSAGE + 16)
  private String message;

  public MaintenanceRunStatus() {}

  public MaintenanceRunStatus(String start, String end, String result, String message) {
    this.start = start;
    this.end = end;
    this.result = result;
    setMessage(message);
  }

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getEnd() {
    return end;
  }

  public void setEnd(String end) {
    this.end = end;
  }

  public String getResult() {
    return result;
  }

  public void setResult(String result) {
    this.result = result;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message =
        message == null || message.length() <= MAX_MESSAGE
            ? message
            : message.substring(0, MAX_MESSAGE) + "... (cut)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaintenanceRunStatus that
        && Objects.equals(start, that.start)
        && Objects.equals(end, that.end)
        && Objects.equals(result, that.result)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, end, result, message);
  }
}
