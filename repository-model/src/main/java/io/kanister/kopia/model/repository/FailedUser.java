package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** An access user the operator could not register, with a secret-free reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailedUser {
  @JsonPropertyDescription("The Kopia username (user@host), or the workload if none was derived.")
  @Required
  private String username;

  @JsonPropertyDescription("A CamelCase word, e.g. InvalidAccessSecret.")
  private String reason;

  @JsonPropertyDescription("What went wrong and how to fix it; never a secret value.")
  private String message;

  public FailedUser() {}

  public FailedUser(String username, String reason, String message) {
    this.username = username;
    this.reason = reason;
    this.message = message;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof FailedUser that
        && Objects.equals(username, that.username)
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, reason, message);
  }
}
