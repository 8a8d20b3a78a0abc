package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.operator.users.DesiredUsers.DesiredUser;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One Repository's last quiet convergence: the user manifests it saw and the desired users it
 * converged to, with its result. A later pass that lists the same user manifests and desires the
 * same users knows Kopia still holds exactly them, and skips {@code server users list} and the
 * password checks. Any change by anyone (a user added, deleted or given a new password, out of band
 * or by the operator) makes a new user manifest, so it runs the full convergence again; so does a
 * new desired password (a rotated token, an edited access Secret). So does a record of created
 * users ({@link ManagedUsersConfigMap}) that is gone or was changed by anyone: it is what keeps the
 * operator from deleting users it did not create, so it is written again at once.
 *
 * <p>The desired users are kept as an HMAC under a key of this instance only, never the passwords.
 */
final class VerifiedUsers {
  // record: the users record's resourceVersion, empty while there is none. A Repository with no
  // created users has no record, and that absence is as stable as a version: requiring a version
  // made every pass of such a Repository list the users (ScaleBenchmark: 2.36 reads per resync).
  private record Verified(
      String manifests, String desired, Optional<String> record, ConvergenceResult result) {}

  private final byte[] key = new byte[32];
  private volatile Verified verified;

  VerifiedUsers() {
    new SecureRandom().nextBytes(key);
  }

  /**
   * The quiet convergence's result, if neither the user manifests nor the desired users changed.
   */
  Optional<ConvergenceResult> unchanged(
      Optional<String> manifests, DesiredUsers desired, Optional<String> record) {
    Verified known = verified;
    if (known == null
        || manifests.isEmpty()
        || !known.manifests().equals(manifests.get())
        || !known.record().equals(record)
        || !known.desired().equals(digest(desired))) {
      return Optional.empty();
    }
    return Optional.of(known.result());
  }

  /**
   * After a full convergence: remembered only when it wrote nothing, refreshed nothing and failed
   * nowhere. A write makes manifests the listing before it did not see, and a failure or a held
   * user is worth trying again at the next pass.
   */
  void converged(
      Optional<String> manifests,
      DesiredUsers desired,
      ConvergenceResult result,
      Optional<String> record) {
    boolean quiet =
        result.kopiaWrites() == 0
            && !result.refreshed()
            && result.ready()
            && result.held() == 0
            && desired.failures().isEmpty()
            && desired.holds().isEmpty();
    verified =
        quiet && manifests.isPresent()
            ? new Verified(manifests.get(), digest(desired), record, result)
            : null;
  }

  /** Until the next quiet convergence, every pass lists the users. */
  void forget() {
    verified = null;
  }

  private String digest(DesiredUsers desired) {
    List<DesiredUser> users = new ArrayList<>(desired.users().values());
    users.sort(Comparator.comparing(u -> u.username().value()));
    List<String> parts = new ArrayList<>();
    for (DesiredUser user : users) {
      parts.add(user.username().value());
      parts.add(user.origin());
      parts.add(user.password().reveal());
    }
    parts.add(String.valueOf(desired.failures().size()));
    parts.add(String.join(",", desired.holds()));
    return Sha256.hmacHex(key, parts.toArray(String[]::new));
  }
}
