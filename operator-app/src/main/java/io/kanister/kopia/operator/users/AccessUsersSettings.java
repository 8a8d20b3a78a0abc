package io.kanister.kopia.operator.users;

/**
 * Operator-wide settings of the access users.
 *
 * @param parallelism how many kopia user writes (and password checks) run at once; at least 4
 */
public record AccessUsersSettings(TokenSettings tokens, int parallelism) {
  public AccessUsersSettings {
    if (parallelism < UsersConverger.MINIMUM_PARALLELISM) {
      throw new IllegalArgumentException(
          "user write parallelism must be at least " + UsersConverger.MINIMUM_PARALLELISM);
    }
  }

  public static AccessUsersSettings defaults() {
    return new AccessUsersSettings(TokenSettings.defaults(), UsersConverger.DEFAULT_PARALLELISM);
  }
}
