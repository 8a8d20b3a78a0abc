package io.kanister.kopia.model.secret;

import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.model.validation.Validated;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the Secret named by {@code spec.server.adminSecretName}. Only {@code password} is required:
 * the usernames default to Kopia's own defaults, and the control password to the UI password, which
 * grants nothing more since the UI user already administers the server.
 */
public final class AdminSecretParser {
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String CONTROL_USERNAME = "control-username";
  public static final String CONTROL_PASSWORD = "control-password";

  /** Kopia's default {@code --server-username}. */
  public static final String DEFAULT_USERNAME = "kopia";

  /** Kopia's default {@code --server-control-username}. */
  public static final String DEFAULT_CONTROL_USERNAME = "server-control";

  private static final Set<String> KEYS =
      Set.of(USERNAME, PASSWORD, CONTROL_USERNAME, CONTROL_PASSWORD);

  private AdminSecretParser() {}

  public static Validated<ServerAdminCredentials> parse(SecretData data) {
    SecretReader reader = new SecretReader(data);
    reader.rejectUnknownKeys(KEYS, "in an admin Secret");
    // The server container gets these keys through secretKeyRefs, unmodified.
    KEYS.forEach(reader::rejectSurroundingWhitespace);
    String username = username(reader, USERNAME).orElse(DEFAULT_USERNAME);
    Optional<SecretValue> password =
        reader.requiredSecret(PASSWORD, "the password of the server UI user");
    String controlUsername = username(reader, CONTROL_USERNAME).orElse(DEFAULT_CONTROL_USERNAME);
    Optional<SecretValue> controlPassword = reader.optionalSecret(CONTROL_PASSWORD);
    if (username.equals(controlUsername)) {
      reader.problem(
          CONTROL_USERNAME,
          "must differ from '"
              + USERNAME
              + "' (defaults: "
              + DEFAULT_USERNAME
              + " and "
              + DEFAULT_CONTROL_USERNAME
              + "); Kopia tells the two users apart by name");
    }
    if (!reader.problems().isEmpty()) {
      return reader.invalid();
    }
    return Validated.valid(
        new ServerAdminCredentials(
            username,
            password.orElseThrow(),
            controlUsername,
            controlPassword.orElse(password.orElseThrow())));
  }

  private static Optional<String> username(SecretReader reader, String key) {
    return reader
        .optional(key)
        .filter(
            name -> {
              if (name.chars().anyMatch(c -> c == ':' || Character.isWhitespace(c))) {
                reader.problem(key, "must not contain ':' or whitespace (HTTP basic auth)");
                return false;
              }
              return true;
            });
  }
}
