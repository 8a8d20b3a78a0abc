package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;

/** One kopia write: add, set (new password) or delete a user. */
public record UserChange(Kind kind, KopiaUsername username, SecretValue password) {
  public enum Kind {
    ADD,
    SET,
    DELETE
  }

  public static UserChange add(DesiredUser user) {
    return new UserChange(Kind.ADD, user.username(), user.password());
  }

  public static UserChange set(DesiredUser user) {
    return new UserChange(Kind.SET, user.username(), user.password());
  }

  public static UserChange delete(KopiaUsername username) {
    return new UserChange(Kind.DELETE, username, null);
  }

  @Override
  public String toString() {
    return kind + " " + username;
  }
}
