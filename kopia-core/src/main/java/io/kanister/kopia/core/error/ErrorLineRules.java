package io.kanister.kopia.core.error;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The kopia v0.23.1 error texts, most specific first: a wrong password and a refused connection can
 * appear in the same error chain as "can't connect to storage", and the first rule with a matching
 * line decides. Every pattern comes from stderr captured from the real binary.
 */
final class ErrorLineRules {

  static final List<ErrorLineRule> IN_PRIORITY_ORDER =
      ImmutableList.of(
          // kingpin: "kopia: error: unknown long flag '--x', try --help"
          ErrorLineRule.of(KopiaErrorKind.BAD_ARGUMENTS, "^kopia: error: .*, try --help$"),
          ErrorLineRule.of(KopiaErrorKind.INVALID_PASSWORD, "invalid repository password"),
          ErrorLineRule.of(
              KopiaErrorKind.REPOSITORY_NOT_INITIALIZED,
              "repository not initialized in the provided storage"),
          ErrorLineRule.of(
              KopiaErrorKind.ALREADY_EXISTS,
              "found existing data in storage location|repository already initialized"
                  + "|already exists"),
          ErrorLineRule.of(KopiaErrorKind.NOT_CONNECTED, "repository is not connected"),
          ErrorLineRule.of(KopiaErrorKind.USER_NOT_FOUND, ": user not found$"),
          // "policy set": "no changes specified"; "repository set-client": "no changes";
          // "server users set": "no change".
          ErrorLineRule.of(KopiaErrorKind.NO_CHANGES, "^no changes?( specified)?$"),
          ErrorLineRule.of(
              KopiaErrorKind.ACCESS_DENIED,
              "(?i)permission denied|access denied|code = PermissionDenied|code = Unauthenticated"
                  + "|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|403 Forbidden"),
          // A server certificate that does not match the pinned fingerprint or CA is a trust
          // problem, not an outage: retrying will not help, so keep it out of STORAGE_UNREACHABLE.
          ErrorLineRule.unclassified(
              "can't find certificate matching SHA256 fingerprint|x509: "
                  + "|tls: failed to verify certificate"),
          ErrorLineRule.of(
              KopiaErrorKind.STORAGE_UNREACHABLE,
              "can't connect to storage|error connecting to API server|connection refused"
                  + "|no such host|i/o timeout|network is unreachable|no route to host"
                  + "|connection reset by peer|TLS handshake timeout|code = Unavailable"));

  private ErrorLineRules() {}
}
