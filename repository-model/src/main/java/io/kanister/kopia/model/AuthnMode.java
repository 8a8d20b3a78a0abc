package io.kanister.kopia.model;

/** Values of the {@link RepositoryLabels#AUTHN_MODE} workload label. */
public final class AuthnMode {
  /** The workload's access password is a TokenRequest token of its service account. */
  public static final String SERVICE_ACCOUNT = "service-account";

  private AuthnMode() {}
}
