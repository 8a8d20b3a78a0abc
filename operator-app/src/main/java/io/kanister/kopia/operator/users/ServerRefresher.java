package io.kanister.kopia.operator.users;

/** Makes the repository server re-read its users now ({@code kopia server refresh}). */
@FunctionalInterface
public interface ServerRefresher {
  /**
   * @throws RuntimeException with a secret-free message when the server cannot be refreshed
   */
  void refresh();
}
