package io.kanister.kopia.operator.tokens;

import io.kanister.kopia.operator.tokens.TokenIssuer.IssuedToken;
import io.kanister.kopia.operator.tokens.TokenIssuer.TokenIssueException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One live token per ServiceAccount, kept only in memory, replaced once its rotation is due.
 * Workloads sharing a ServiceAccount share its token. After a restart the cache is empty, so every
 * token is issued anew (and every dynamic user's password is set once).
 */
public final class ServiceAccountTokens {
  private final TokenIssuer issuer;
  private final TokenSettings settings;
  private final Clock clock;
  private final Map<Account, IssuedToken> live = new ConcurrentHashMap<>();
  private final Map<Account, Instant> retryAt = new ConcurrentHashMap<>();

  /** How long after a refused TokenRequest the next one is asked for (not every second). */
  public static final java.time.Duration RETRY_AFTER_FAILURE = java.time.Duration.ofSeconds(30);

  public ServiceAccountTokens(TokenIssuer issuer, TokenSettings settings, Clock clock) {
    this.issuer = issuer;
    this.settings = settings;
    this.clock = clock;
  }

  /** A ServiceAccount, by namespace and name. */
  public record Account(String namespace, String serviceAccount) {}

  /**
   * The account's live token, issuing a new one when there is none or its rotation is due.
   *
   * @throws TokenIssueException when a new token is needed and cannot be issued
   */
  public IssuedToken current(String namespace, String serviceAccount) {
    Account account = new Account(namespace, serviceAccount);
    IssuedToken token = live.get(account);
    if (token != null && clock.instant().isBefore(token.rotationDue(settings.rotateAtFraction()))) {
      return token;
    }
    IssuedToken fresh;
    try {
      fresh = issuer.issue(namespace, serviceAccount, settings.audience(), settings.lifetime());
    } catch (RuntimeException e) {
      retryAt.put(account, clock.instant().plus(RETRY_AFTER_FAILURE));
      throw e;
    }
    retryAt.remove(account);
    live.put(account, fresh);
    return fresh;
  }

  /** Drops the tokens of accounts no labelled workload uses any more. */
  public void retainOnly(Set<Account> inUse) {
    live.keySet().retainAll(inUse);
    retryAt.keySet().retainAll(inUse);
  }

  /**
   * When the earliest live token should be rotated, or a refused one asked for again; empty when
   * none is held. An overdue token whose TokenRequest failed waits for its retry time.
   */
  public Optional<Instant> nextRotation() {
    return java.util.stream.Stream.concat(
            live.entrySet().stream()
                .filter(e -> !retryAt.containsKey(e.getKey()))
                .map(e -> e.getValue().rotationDue(settings.rotateAtFraction())),
            retryAt.values().stream())
        .min(Instant::compareTo);
  }
}
