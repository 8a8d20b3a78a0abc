package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.output.ManifestList;

/**
 * What one {@code manifest list} at the start of a pass saw: per type, a digest of the manifest
 * ids. Kopia never changes a manifest in place, so a policy, user or maintenance parameter written
 * or deleted by anyone (the operator included) changes its type's digest. The steps compare it with
 * the digest of their last pass that found everything converged, and skip their own kopia read when
 * neither it nor their desired state changed.
 */
public record ManifestDigests(String policies, String users, String maintenance) {
  static ManifestDigests of(ManifestList list) {
    return new ManifestDigests(
        list.digest(ManifestList.POLICY),
        list.digest(ManifestList.USER),
        list.digest(ManifestList.MAINTENANCE));
  }
}
