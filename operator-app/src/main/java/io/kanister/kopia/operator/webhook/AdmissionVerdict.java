package io.kanister.kopia.operator.webhook;

import java.util.List;
import java.util.Objects;

/**
 * What the webhook answers for one request: allowed or denied with a message, plus warnings that
 * kubectl shows either way.
 */
public record AdmissionVerdict(boolean allowed, String message, List<String> warnings) {
  public AdmissionVerdict {
    Objects.requireNonNull(message, "message");
    warnings = List.copyOf(warnings);
  }

  public static AdmissionVerdict allow(List<String> warnings) {
    return new AdmissionVerdict(true, "", warnings);
  }

  public static AdmissionVerdict deny(String message, List<String> warnings) {
    return new AdmissionVerdict(false, message, warnings);
  }
}
