package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.operator.users.TokenIssuer.IssuedToken;
import io.kanister.kopia.operator.users.TokenIssuer.TokenIssueException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Issues numbered fake tokens; accounts can be set to fail with a reason. */
final class FakeTokenIssuer implements TokenIssuer {
  private final Clock clock;
  final List<String> issuedFor = new ArrayList<>();
  final Map<String, String> failing = new ConcurrentHashMap<>();

  FakeTokenIssuer(Clock clock) {
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
