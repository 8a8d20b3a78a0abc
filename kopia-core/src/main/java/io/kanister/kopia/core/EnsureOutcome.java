package io.kanister.kopia.core;

/** What {@link Kopia#ensureRepository} found. */
public enum EnsureOutcome {
  /** The storage was empty; a new repository was initialized. */
  CREATED,
  /** A repository already existed and the password opened it; it was adopted as it is. */
  ADOPTED
}
