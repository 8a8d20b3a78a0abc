package io.kanister.kopia.operator.users;

import io.kanister.kopia.operator.tokens.TokenIssuer.TokenIssueException;
import io.kanister.kopia.operator.users.ConvergenceResult.UserFailure;

/** The {@code reason} words of {@link UserFailure}, as shown in {@code status.users.failed}. */
public final class FailureReasons {
  /** A Secret named in {@code spec.server.accessSecretNames} does not exist. */
  public static final String ACCESS_SECRET_NOT_FOUND = "AccessSecretNotFound";

  /** An access Secret could not be read (an API error, e.g. 403 or a timeout). */
  public static final String ACCESS_SECRET_UNREADABLE = "AccessSecretUnreadable";

  /** The labelled workloads of the target namespace could not be listed. */
  public static final String WORKLOAD_LIST_FAILED = "WorkloadListFailed";

  /** An access Secret entry is not YAML with exactly username and password, or has no keys. */
  public static final String INVALID_ACCESS_SECRET = "InvalidAccessSecret";

  /** An access Secret key cannot be a Kopia host name part. */
  public static final String INVALID_WORKLOAD_IDENTIFIER = "InvalidWorkloadIdentifier";

  /** The username is missing, or the composed {@code user@host} is not a Kopia username. */
  public static final String INVALID_USERNAME = "InvalidUsername";

  /** Two sources ask for the same Kopia username; the first one listed wins. */
  public static final String DUPLICATE_USER = "DuplicateUser";

  /** The workload's ServiceAccount does not exist. */
  public static final String SERVICE_ACCOUNT_NOT_FOUND =
      TokenIssueException.SERVICE_ACCOUNT_NOT_FOUND;

  /** The operator may not create tokens for the workload's ServiceAccount. */
  public static final String TOKEN_REQUEST_FORBIDDEN = TokenIssueException.TOKEN_REQUEST_FORBIDDEN;

  /** The TokenRequest failed for another reason. */
  public static final String TOKEN_REQUEST_FAILED = TokenIssueException.TOKEN_REQUEST_FAILED;

  /** kopia refused to add, update or delete the user. */
  public static final String KOPIA_WRITE_FAILED = "KopiaWriteFailed";

  private static final java.util.Set<String> OF_THE_MOMENT =
      java.util.Set.of(KOPIA_WRITE_FAILED, WORKLOAD_LIST_FAILED, TOKEN_REQUEST_FAILED);

  /**
   * Whether a user failed for a reason of the moment (kopia refused a write: concurrent user writes
   * can exhaust kopia's index retries; the workload list or a TokenRequest failed), worth trying
   * again soon. A failure in the input (a Secret entry, a missing Secret) waits for that input to
   * change, which its watch reports.
   */
  public static boolean isOfTheMoment(String reason) {
    return OF_THE_MOMENT.contains(reason);
  }

  /** The longest {@link UserFailure} message kept; status must stay small. */
  static final int MAX_MESSAGE = 400;

  private FailureReasons() {}

  /**
   * A secret-free description of an exception: an API error's code and the API server's own message
   * (which names objects, never values), or an exception type and its message, bounded.
   */
  public static String describe(Throwable e) {
    String text;
    if (e instanceof io.fabric8.kubernetes.client.KubernetesClientException k) {
      text =
          "Kubernetes API error "
              + k.getCode()
              + ": "
              + (k.getStatus() == null || k.getStatus().getMessage() == null
                  ? (k.getCause() == null ? "no detail" : k.getCause().getClass().getSimpleName())
                  : k.getStatus().getMessage());
    } else if (e.getMessage() == null || e.getMessage().isBlank()) {
      text = e.getClass().getSimpleName();
    } else {
      // kopia's messages are built secret-free; any other library's may quote a value.
      boolean safe =
          e instanceof io.kanister.kopia.core.exec.KopiaException
              || e instanceof io.kanister.controller.logging.SafeMessage;
      text =
          e.getClass().getSimpleName()
              + ": "
              + (safe
                  ? e.getMessage().replaceAll("\\p{Cntrl}", " ").strip()
                  : io.kanister.controller.logging.ScrubbedException.scrub(e.getMessage()));
    }
    return bounded(text, MAX_MESSAGE / 2);
  }

  static String bounded(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
