package io.kanister.kopia.core.policy;

import java.util.Collection;
import java.util.Optional;

/** Range and shape rules shared by the policy sections; every failure names the offending field. */
final class PolicyValueRules {
  private PolicyValueRules() {}

  static void requireInRange(String field, Optional<? extends Number> value, long min, long max) {
    value.ifPresent(
        v -> {
          long n = v.longValue();
          if (n < min || n > max) {
            throw new InvalidPolicyException(
                field + " must be between " + min + " and " + max + ", got " + n);
          }
        });
  }

  static void requireAtLeast(String field, Optional<? extends Number> value, long min) {
    value.ifPresent(
        v -> {
          if (v.longValue() < min) {
            throw new InvalidPolicyException(
                field + " must be at least " + min + ", got " + v.longValue());
          }
        });
  }

  static void requireNoBlankEntries(String field, Collection<String> values) {
    for (String v : values) {
      if (v.isBlank()) {
        throw new InvalidPolicyException(field + " must not contain blank entries");
      }
    }
  }
}
