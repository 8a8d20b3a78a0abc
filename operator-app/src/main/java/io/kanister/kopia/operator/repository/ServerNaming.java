package io.kanister.kopia.operator.repository;

import io.kanister.kopia.core.digest.Sha256;
import io.kanister.kopia.model.repository.Repository;
import java.util.Collection;

/**
 * The seed's naming: the server of the repository for namespace {@code monitoring} is {@code
 * repo-monitoring}. When several Repositories serve one namespace, the first to claim the plain
 * name keeps it and the others get a suffix derived from their own name. A name, once in status,
 * never changes: renaming a Service would break every client config that holds its URL.
 */
final class ServerNaming {
  private static final int MAX_LENGTH = 63;

  private ServerNaming() {}

  static String serviceName(Repository repository, Collection<Repository> all) {
    if (repository.getStatus() != null
        && repository.getStatus().getServer() != null
        && repository.getStatus().getServer().getServiceName() != null) {
      return repository.getStatus().getServer().getServiceName();
    }
    String target = repository.getSpec().getTargetNamespace();
    String plain = truncate("repo-" + (target == null ? "global" : target));
    boolean taken =
        all.stream()
            .filter(
                other -> !other.getMetadata().getUid().equals(repository.getMetadata().getUid()))
            .filter(other -> sameTarget(other, repository))
            .anyMatch(other -> claims(other, repository, plain));
    return taken ? suffixed(plain, repository.getMetadata().getName()) : plain;
  }

  /** Whether another Repository holds the plain name, or will: unnamed, the older one wins. */
  private static boolean claims(Repository other, Repository self, String plain) {
    if (other.getStatus() != null
        && other.getStatus().getServer() != null
        && other.getStatus().getServer().getServiceName() != null) {
      return plain.equals(other.getStatus().getServer().getServiceName());
    }
    return order(other).compareTo(order(self)) < 0;
  }

  private static String order(Repository repository) {
    return repository.getMetadata().getCreationTimestamp()
        + "/"
        + repository.getMetadata().getName();
  }

  private static boolean sameTarget(Repository a, Repository b) {
    return java.util.Objects.equals(
        a.getSpec().getTargetNamespace(), b.getSpec().getTargetNamespace());
  }

  static String suffixed(String plain, String repositoryName) {
    String suffix = "-" + shortHash(repositoryName);
    return truncate(
        plain.substring(0, Math.min(plain.length(), MAX_LENGTH - suffix.length())) + suffix);
  }

  private static String truncate(String name) {
    String cut = name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) : name;
    return cut.replaceAll("-+$", "");
  }

  private static String shortHash(String value) {
    return Sha256.hex(value).substring(0, 6);
  }
}
