package io.kanister.kopia.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanister.kopia.core.secret.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UserPasswordHashTest {
  /** The password of the fixture {@code bob-v2.hash}, which kopia v0.23.1 accepted (see below). */
  private static final SecretValue BOB_PASSWORD = SecretValue.of("b0b-Pässword");

  static String resource(String name) throws IOException {
    try (InputStream in = UserPasswordHashTest.class.getResourceAsStream("/user/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  @Test
  void createsVersion2HashThatVerifies() {
    UserPasswordHash hash = UserPasswordHash.create(SecretValue.of("pw"));

    assertThat(hash.version()).isEqualTo(2);
    assertThat(Base64.getDecoder().decode(hash.passwordHashBase64())).hasSize(64);
    assertThat(hash.verify(SecretValue.of("pw"))).isEqualTo(PasswordVerification.MATCH);
    assertThat(hash.verify(SecretValue.of("pW"))).isEqualTo(PasswordVerification.MISMATCH);
  }

  @Test
  void saltIsRandom() {
    assertThat(UserPasswordHash.create(SecretValue.of("pw")))
        .isNotEqualTo(UserPasswordHash.create(SecretValue.of("pw")));
  }

  @Test
  void encodedFormHasKopiasShape() {
    byte[] salt = new byte[32];
    Arrays.fill(salt, (byte) 7);
    UserPasswordHash hash = UserPasswordHash.create(SecretValue.of("pw"), salt);

    String json = new String(Base64.getDecoder().decode(hash.encoded()), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"passwordHashVersion\":2,\"passwordHash\":\"" + hash.passwordHashBase64() + "\"}");
    assertThat(UserPasswordHash.decode(hash.encoded())).isEqualTo(hash);
  }

  /**
   * Computed by this class, then added with {@code kopia server users add bob@client1
   * --user-password-hash=...}; a client connected to a kopia v0.23.1 server as bob@client1 with
   * this password.
   */
  @Test
  void verifiesTheHashKopiaAccepted() throws IOException {
    UserPasswordHash hash = UserPasswordHash.decode(resource("bob-v2.hash"));

    assertThat(hash.version()).isEqualTo(2);
    assertThat(hash.verify(BOB_PASSWORD)).isEqualTo(PasswordVerification.MATCH);
    assertThat(hash.verify(SecretValue.of("b0b-Password")))
        .isEqualTo(PasswordVerification.MISMATCH);
  }

  @Test
  void scryptHashesCannotBeVerified() throws IOException {
    UserPasswordHash kopiaV1 = UserPasswordHash.decode(resource("kopia-hash-password-v1.txt"));

    assertThat(kopiaV1.version()).isEqualTo(1);
    assertThat(kopiaV1.verify(SecretValue.of("s3cret")))
        .isEqualTo(PasswordVerification.CANNOT_VERIFY);
    assertThat(UserPasswordHash.matches(SecretValue.of("x"), kopiaV1.passwordHashBase64(), 0))
        .isEqualTo(PasswordVerification.CANNOT_VERIFY);
  }

  @Test
  void staticMatches() throws IOException {
    UserPasswordHash hash = UserPasswordHash.decode(resource("bob-v2.hash"));

    assertThat(UserPasswordHash.matches(BOB_PASSWORD, hash.passwordHashBase64(), 2))
        .isEqualTo(PasswordVerification.MATCH);
  }

  @Test
  void truncatedVersion2HashIsAMismatch() {
    assertThat(UserPasswordHash.matches(SecretValue.of("pw"), "AAAA", 2))
        .isEqualTo(PasswordVerification.MISMATCH);
  }

  @Test
  void rejectsMalformedInput() {
    assertThatThrownBy(() -> UserPasswordHash.decode("not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64 of JSON");
    String noHash = Base64.getEncoder().encodeToString("{\"passwordHashVersion\":2}".getBytes());
    assertThatThrownBy(() -> UserPasswordHash.decode(noHash))
        .hasMessage("encoded password hash has no passwordHash field");
    assertThatThrownBy(() -> UserPasswordHash.of(2, "%%"))
        .hasMessage("password hash is not valid base64");
    assertThatThrownBy(() -> UserPasswordHash.create(SecretValue.of("")))
        .hasMessage("password must not be empty");
  }

  @Test
  void toStringHidesTheHash() {
    UserPasswordHash hash = UserPasswordHash.create(SecretValue.of("pw"));

    assertThat(hash.toString())
        .doesNotContain(hash.passwordHashBase64())
        .isEqualTo("UserPasswordHash{version=2, passwordHash=REDACTED}");
  }
}
