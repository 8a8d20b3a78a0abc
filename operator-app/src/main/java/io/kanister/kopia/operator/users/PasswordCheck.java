package io.kanister.kopia.operator.users;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.core.user.UserPasswordHash;

/** Whether a stored hash is of the desired password; {@link VerifiedPasswords} in production. */
@FunctionalInterface
public interface PasswordCheck {
  boolean matches(KopiaUsername user, SecretValue password, UserPasswordHash stored);
}
