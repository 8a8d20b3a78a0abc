package io.kanister.kopia.core.error;

/** Why a kopia command failed, as far as its exit code and stderr tell. */
public enum KopiaErrorKind {
  /** The storage is reachable but holds no Kopia repository. */
  REPOSITORY_NOT_INITIALIZED,
  /** Create on storage that already has data, or an object (e.g. a user) that already exists. */
  ALREADY_EXISTS,
  /** The repository password does not decrypt the format blob. */
  INVALID_PASSWORD,
  /** The config file has no repository connection. */
  NOT_CONNECTED,
  /** The storage or API server could not be reached over the network or the filesystem. */
  STORAGE_UNREACHABLE,
  /** Credentials or permissions were refused by the storage, the filesystem or the API server. */
  ACCESS_DENIED,
  /** A repository user ({@code user@host}) does not exist. */
  USER_NOT_FOUND,
  /** A set command was given nothing to change. */
  NO_CHANGES,
  /** Kopia rejected the command line itself: a bug in how the command was rendered. */
  BAD_ARGUMENTS,
  /**
   * kopia could not be started: the binary is missing or not executable, or an environment value
   * cannot be handed to a process (e.g. it holds a NUL byte). Never derived from stderr.
   */
  START_FAILED,
  /** The runner stopped kopia after its time limit; never derived from stderr. */
  TIMEOUT,
  UNKNOWN
}
