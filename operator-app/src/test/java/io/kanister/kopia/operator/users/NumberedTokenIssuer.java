package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.operator.tokens.TokenIssuer;
import io.kanister.kopia.operator.tokens.TokenIssuer.IssuedToken;
import io.kanister.kopia.operator.tokens.TokenIssuer.TokenIssueException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unit tests of token rotation: issues numbered tokens on a test clock, and fails for accounts set
 * to fail with a reason. The real TokenRequest path is covered by {@code AccessUsersIT}.
 */
final class NumberedTokenIssuer implements TokenIssuer {
  private final Clock clock;
  final List<String> issuedFor = new ArrayList<>();
  final Map<String, String> failing = new ConcurrentHashMap<>();

  NumberedTokenIssuer(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized IssuedToken issue(
      String namespace, String serviceAccount, String audience, Duration lifetime) {
    String reason = failing.get(serviceAccount);
    if (reason != null) {
      throw new TokenIssueException(reason, "no token for " + serviceAccount);
    }
    issuedFor.add(serviceAccount);
    return new IssuedToken(
        SecretValue.of("token-" + serviceAccount + "-" + issuedFor.size()),
        clock.instant(),
        clock.instant().plus(lifetime));
  }
}
