package io.kanister.kopia.operator.users;

import java.time.Duration;

/** Issues ServiceAccount tokens (the TokenRequest API in production). */
@FunctionalInterface
public interface TokenIssuer {
  /**
   * @throws TokenIssueException naming why the ServiceAccount got no token
   */
  IssuedToken issue(String namespace, String serviceAccount, String audience, Duration lifetime);
}
