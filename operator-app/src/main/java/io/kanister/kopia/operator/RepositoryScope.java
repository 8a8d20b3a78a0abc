package io.kanister.kopia.operator;

import java.util.Locale;

/** The seed's integration modes, chosen by {@code --repository-scope}. */
public enum RepositoryScope {
  /** One singleton repository for the whole cluster. */
  GLOBAL,
  /** Repositories created on demand, each walled off to one target namespace. */
  NAMESPACE;

  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RepositoryScope parse(String value) {
    for (RepositoryScope scope : values()) {
      if (scope.flagValue().equals(value)) {
        return scope;
      }
    }
    throw new IllegalArgumentException(
        "--repository-scope must be 'namespace' or 'global', got '" + value + "'");
  }
}
