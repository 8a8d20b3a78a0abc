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

  @JsonPropertyDescription("Users that could not be registered, and why.")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<FailedUser> failed = new ArrayList<>();

  /** A summary whose {@code summary} column agrees with its counts. */
  public static UsersStatus of(int desired, int registered, List<FailedUser> failed) {
    UsersStatus status = new UsersStatus();
    status.setDesired(desired);
    status.setRegistered(registered);
    status.setSummary(registered + "/" + desired);
    List<FailedUser> shown =
        new ArrayList<>(failed.subList(0, Math.min(failed.size(), MAX_FAILED)));
    if (failed.size() > MAX_FAILED) {
      // 10 000 broken entries would make the status larger than the API server takes, and then
      // no status at all would be written.
      shown.add(
          new FailedUser(
              "(" + (failed.size() - MAX_FAILED) + " more)",
              "TooManyFailures",
              (failed.size() - MAX_FAILED)
                  + " more users failed and are not listed; fix the ones above first"));
    }
    status.setFailed(shown);
    return status;
  }

  /** The most failed users listed in the status; the rest are counted. */
  public static final int MAX_FAILED = 100;

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
        && Objects.equals(failed, that.failed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, registered, summary, failed);
  }
}
