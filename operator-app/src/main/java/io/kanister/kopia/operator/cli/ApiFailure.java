package io.kanister.kopia.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.kopia.model.repository.Repository;

/** Turns an API failure into one line naming the object and how to fix it. */
final class ApiFailure {
  private ApiFailure() {}

  static String describe(KubernetesClientException e, KubernetesClient client, String what) {
    int code = e.getCode();
    String verbs = what.startsWith("Repository ") ? "get" : "list";
    if (code == 401) {
      return "cannot read "
          + what
          + ": the API server did not accept your credentials (HTTP 401); log in again or"
          + " check the kubeconfig context";
    }
    if (code == 403) {
      return "cannot read "
          + what
          + ": forbidden (HTTP 403); your user needs RBAC "
          + verbs
          + " on "
          + Repository.CRD_NAME
          + " there (check with: kubectl auth can-i "
          + verbs
          + " "
          + Repository.CRD_NAME
          + ")";
    }
    if (code == 404) {
      return "cannot read "
          + what
          + ": the API server does not serve "
          + Repository.CRD_NAME
          + " (HTTP 404); install the CRD (the Helm chart or deploy/crd) first";
    }
    if (code <= 0) {
      return "cannot read "
          + what
          + ": cannot reach the API server at "
          + client.getConfiguration().getMasterUrl()
          + " ("
          + shortCause(e)
          + "); check the kubeconfig context and that the cluster is up";
    }
    return "cannot read "
        + what
        + ": the API server answered HTTP "
        + code
        + " ("
        + shortCause(e)
        + "); retry, or check the API server's health";
  }

  private static String shortCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return RepositoryState.cut(RepositoryState.oneLine(message));
  }
}
