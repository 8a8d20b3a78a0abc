package io.kanister.kopia.model.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.kanister.kopia.model.policy.NumericBounds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How many access users the server should have, how many it has, and which ones failed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UsersStatus {
  @JsonPropertyDescription("Users the server should have (predefined and dynamic).")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer desired;

  @JsonPropertyDescription("Users registered with the server.")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer registered;

  @JsonPropertyDescription("registered/desired, for kubectl get.")
  private String summary;

  @JsonPropertyDescription(
      "Users that could not be registered, and why: the first " + MAX_FAILED + "; see failedCount.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<FailedUser> failed = new ArrayList<>();

  @JsonPropertyDescription(
      "How many users failed in all; failed lists the first " + MAX_FAILED + " of them.")
  @Min(0)
  @Max(NumericBounds.INT32_MAX)
  private Integer failedCount;

  /** A summary whose {@code summary} column agrees with its counts. */
  public static UsersStatus of(int desired, int registered, List<FailedUser> failed) {
    UsersStatus status = new UsersStatus();
    status.setDesired(desired);
    status.setRegistered(registered);
    status.setSummary(registered + "/" + desired);
    // 10 000 broken entries would make the status larger than the API server takes, and then no
    // status at all would be written: list a few (fix them first), count the rest.
    status.setFailed(new ArrayList<>(failed.subList(0, Math.min(failed.size(), MAX_FAILED))));
    status.setFailedCount(failed.isEmpty() ? null : failed.size());
    return status;
  }

  /** The most failed users listed in the status; {@code failedCount} counts them all. */
  public static final int MAX_FAILED = 20;

  public Integer getDesired() {
    return desired;
  }

  public void setDesired(Integer desired) {
    this.desired = desired;
  }

  public Integer getRegistered() {
    return registered;
  }

  public void setRegistered(Integer registered) {
    this.registered = registered;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }

  public Integer getFailedCount() {
    return failedCount;
  }

  public void setFailedCount(Integer failedCount) {
    this.failedCount = failedCount;
  }

  public List<FailedUser> getFailed() {
    return failed;
  }

  public void setFailed(List<FailedUser> failed) {
    this.failed = failed == null ? new ArrayList<>() : failed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UsersStatus that
        && Objects.equals(desired, that.desired)
        && Objects.equals(registered, that.registered)
        && Objects.equals(summary, that.summary)
        && Objects.equals(failed, that.failed)
        && Objects.equals(failedCount, that.failedCount);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, registered, summary, failed, failedCount);
  }
}
