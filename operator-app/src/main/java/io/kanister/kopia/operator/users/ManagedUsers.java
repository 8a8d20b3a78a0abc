package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.user.KopiaUsername;

/**
 * Which existing Kopia users belong to the operator and may be deleted: those whose host is {@code
 * <targetNamespace>.<workload>}, the only hosts the operator creates users under. Namespaces are
 * DNS labels (no dots), so the prefix cannot match another namespace. Every other user (the
 * server's own, people's, other tools') is never touched.
 */
public record ManagedUsers(String targetNamespace) {
  public ManagedUsers {
    if (targetNamespace == null || targetNamespace.isBlank() || targetNamespace.contains(".")) {
      throw new IllegalArgumentException("the target namespace must be a DNS label");
    }
  }

  public boolean manages(KopiaUsername username) {
    String host = username.host();
    String prefix = targetNamespace + ".";
    return host.startsWith(prefix) && host.length() > prefix.length();
  }
}
