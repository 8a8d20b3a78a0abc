package io.kanister.kopia.model.repository;

/** The name formats the API server itself enforces, repeated in the schema to fail early. */
public final class KubernetesNames {
  /** A namespace name (RFC 1123 label). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  public static final int DNS_LABEL_MAX_LENGTH = 63;

  /** A Secret name (RFC 1123 subdomain). */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  public static final int DNS_SUBDOMAIN_MAX_LENGTH = 253;

  private KubernetesNames() {}
}
