package io.kanister.kopia.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The operator's integration mode ({@code --repository-scope}); global is the default. */
public enum RepositoryScope {
  /** One singleton Repository, without a target namespace, for the whole cluster. */
  GLOBAL("global"),
  /** Repositories created on demand, each serving one target namespace. */
  NAMESPACE("namespace");

  private final String value;

  RepositoryScope(String value) {
    this.value = value;
  }

  /** The value of the {@link RepositoryLabels#REPO_SCOPE} annotation and of the flag. */
  public String value() {
    return value;
  }

  public static Optional<RepositoryScope> fromValue(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.value.equals(wanted)).findFirst();
  }
}
