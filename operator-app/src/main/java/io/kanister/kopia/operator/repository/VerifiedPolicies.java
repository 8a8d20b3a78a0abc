package io.kanister.kopia.operator.repository;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per Repository, the policy manifests and desired policies of the last pass whose {@code policy
 * list} found nothing to write, with that pass's report. A later pass that sees the same policy
 * manifests and desires the same policies knows Kopia still holds them and skips its {@code policy
 * list}. Holds no secrets: manifest ids, a digest of the spec and target names.
 */
final class VerifiedPolicies {
  private record Verified(String manifests, String desired, PolicySync.Report report) {}

  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  /** The report of the converged pass, if nothing changed since. */
  Optional<PolicySync.Report> unchanged(String uid, String manifests, String desired) {
    Verified known = verified.get(uid);
    if (known == null || !known.manifests().equals(manifests) || !known.desired().equals(desired)) {
      return Optional.empty();
    }
    return Optional.of(known.report());
  }

  /**
   * After a full policy sync: remembered only when it wrote nothing, since a write makes new
   * manifests the listing at the start of this pass did not see.
   */
  void synced(String uid, String manifests, String desired, PolicySync.Report report) {
    if (report.written().isEmpty() && report.deleted().isEmpty()) {
      verified.put(uid, new Verified(manifests, desired, report));
    } else {
      verified.remove(uid);
    }
  }

  void forget(String uid) {
    verified.remove(uid);
  }

  int size() {
    return verified.size();
  }

  java.util.Set<String> keys() {
    return verified.keySet();
  }
}
