package io.kanister.kopia.operator.tokens;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.core.secret.SecretValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Issues ServiceAccount tokens (the TokenRequest API in production). */
@FunctionalInterface
public interface TokenIssuer {
  /**
   * @throws TokenIssueException naming why the ServiceAccount got no token
   */
  IssuedToken issue(String namespace, String serviceAccount, String audience, Duration lifetime);

  /** A ServiceAccount token and its validity, as the TokenRequest API granted it. */
  public record IssuedToken(SecretValue token, Instant issuedAt, Instant expiresAt) {
    public IssuedToken {
      if (!expiresAt.isAfter(issuedAt)) {
        throw new IllegalArgumentException("a token must expire after it is issued");
      }
    }

    /** When to replace it: after {@code fraction} of its granted lifetime. */
    public Instant rotationDue(double fraction) {
      long lifetimeMillis = Duration.between(issuedAt, expiresAt).toMillis();
      return issuedAt.plusMillis((long) (lifetimeMillis * fraction));
    }

    @Override
    public String toString() {
      return "IssuedToken[issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
  }

  /** No token was issued; {@code reason} is one of {@link FailureReasons}' token words. */
  public static final class TokenIssueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The workload's ServiceAccount does not exist. */
    public static final String SERVICE_ACCOUNT_NOT_FOUND = "ServiceAccountNotFound";

    /** The operator may not create tokens for the workload's ServiceAccount. */
    public static final String TOKEN_REQUEST_FORBIDDEN = "TokenRequestForbidden";

    /** The TokenRequest failed for another reason. */
    public static final String TOKEN_REQUEST_FAILED = "TokenRequestFailed";

    private final String reason;

    public TokenIssueException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /**
   * Creates tokens with {@code POST .../serviceaccounts/<name>/token}. The operator needs {@code
   * create} on {@code serviceaccounts/token} in the target namespace.
   */
  public static final class TokenRequestIssuer implements TokenIssuer {
    private final KubernetesClient client;
    private final Clock clock;

    public TokenRequestIssuer(KubernetesClient client, Clock clock) {
      this.client = client;
      this.clock = clock;
    }

    @Override
    public IssuedToken issue(
        String namespace, String serviceAccount, String audience, Duration lifetime) {
      TokenRequest request =
          new TokenRequestBuilder()
              .withNewSpec()
              .withAudiences(audience)
              .withExpirationSeconds(lifetime.toSeconds())
              .endSpec()
              .build();
      Instant issuedAt = clock.instant();
      TokenRequest granted;
      try {
        granted =
            client
                .serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(request);
      } catch (KubernetesClientException e) {
        throw failure(namespace, serviceAccount, e);
      }
      if (granted == null
          || granted.getStatus() == null
          || granted.getStatus().getToken() == null) {
        throw new TokenIssueException(
            TokenIssueException.TOKEN_REQUEST_FAILED,
            "the API server returned no token for ServiceAccount "
                + namespace
                + "/"
                + serviceAccount);
      }
      String expiration = granted.getStatus().getExpirationTimestamp();
      Instant expiresAt =
          expiration == null
              ? issuedAt.plus(lifetime)
              : OffsetDateTime.parse(expiration).toInstant();
      return new IssuedToken(SecretValue.of(granted.getStatus().getToken()), issuedAt, expiresAt);
    }

    private static TokenIssueException failure(
        String namespace, String serviceAccount, KubernetesClientException e) {
      String account = "ServiceAccount " + namespace + "/" + serviceAccount;
      return switch (e.getCode()) {
        case 404 ->
            new TokenIssueException(
                TokenIssueException.SERVICE_ACCOUNT_NOT_FOUND,
                account
                    + " does not exist; create it or change the pod template's"
                    + " serviceAccountName");
        case 401, 403 ->
            new TokenIssueException(
                TokenIssueException.TOKEN_REQUEST_FORBIDDEN,
                "the operator may not create tokens for "
                    + account
                    + " (HTTP "
                    + e.getCode()
                    + "); grant it create on serviceaccounts/token in "
                    + namespace);
        default ->
            new TokenIssueException(
                TokenIssueException.TOKEN_REQUEST_FAILED,
                "TokenRequest for " + account + " failed (HTTP " + e.getCode() + ")");
      };
    }
  }
}
