package io.kanister.kopia.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserProfileTest {

  /** {@code users-list.json} is verbatim {@code kopia server users list --json} (v0.23.1). */
  @Test
  void parsesKopiaUserList() throws IOException {
    List<UserProfile> users =
        UserProfile.parseList(UserPasswordHashTest.resource("users-list.json"));

    assertThat(users)
        .extracting(UserProfile::username)
        .containsExactly(KopiaUsername.of("alice@h1"), KopiaUsername.of("bob@client1"));
    assertThat(users.get(0).passwordHash().version()).isEqualTo(1);
    assertThat(users.get(1).passwordHash().version()).isEqualTo(2);
    assertThat(users.get(1).passwordHash())
        .isEqualTo(UserPasswordHash.decode(UserPasswordHashTest.resource("bob-v2.hash")));
  }

  @Test
  void parsesSingleProfileAndDefaultsVersionToZero() {
    UserProfile profile = UserProfile.parse("{\"username\":\"a@b\",\"passwordHash\":\"AAAA\"}");

    assertThat(profile.passwordHash().version()).isZero();
    assertThat(profile.username().value()).isEqualTo("a@b");
  }

  @Test
  void emptyList() {
    assertThat(UserProfile.parseList("[\n]")).isEmpty();
  }

  @Test
  void toStringHidesTheHash() {
    UserProfile profile =
        UserProfile.parse(
            "{\"username\":\"a@b\",\"passwordHashVersion\":2,\"passwordHash\":\"QUJDREVG\"}");

    assertThat(profile.toString()).contains("a@b").doesNotContain("QUJDREVG");
  }

  @Test
  void rejectsMalformedJsonWithoutEchoingIt() {
    assertThatThrownBy(() -> UserProfile.parseList("[{\"passwordHash\":\"SECRETHASH\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user profile JSON is malformed");
    assertThatThrownBy(() -> UserProfile.parseList("{}"))
        .hasMessage("user list JSON must be an array");
    assertThatThrownBy(() -> UserProfile.parse("{\"username\":\"a@b\"}"))
        .hasMessageContaining("'username' and 'passwordHash'");
  }
}
