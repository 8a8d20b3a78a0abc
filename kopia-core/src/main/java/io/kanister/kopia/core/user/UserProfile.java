package io.kanister.kopia.core.user;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import java.util.List;
import org.immutables.value.Value;

/**
 * A repository user as listed by {@code kopia server users list --json} or {@code server users
 * info}: {@code {"username","passwordHashVersion","passwordHash"}}.
 */
@Value.Immutable
public abstract class UserProfile {
  private static final ObjectMapper JSON = new ObjectMapper();

  public abstract KopiaUsername username();

  @Value.Redacted
  public abstract UserPasswordHash passwordHash();

  public static UserProfile of(KopiaUsername username, UserPasswordHash hash) {
    return ImmutableUserProfile.builder().username(username).passwordHash(hash).build();
  }

  /** Parses the JSON array printed by {@code server users list --json}. */
  public static List<UserProfile> parseList(String json) {
    JsonNode array = readTree(json);
    if (!array.isArray()) {
      throw new IllegalArgumentException("user list JSON must be an array");
    }
    ImmutableList.Builder<UserProfile> profiles = ImmutableList.builder();
    array.forEach(node -> profiles.add(fromNode(node)));
    return profiles.build();
  }

  /** Parses one profile object, as printed by {@code server users info}. */
  public static UserProfile parse(String json) {
    return fromNode(readTree(json));
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // The parser message may quote the input, which holds password hashes.
      throw new IllegalArgumentException("user profile JSON is malformed");
    }
  }

  private static UserProfile fromNode(JsonNode node) {
    if (!node.path("username").isTextual() || !node.path("passwordHash").isTextual()) {
      throw new IllegalArgumentException(
          "user profile JSON needs string fields 'username' and 'passwordHash'");
    }
    // passwordHashVersion is omitempty in Kopia: absent means 0 (scrypt).
    return of(
        KopiaUsername.of(node.get("username").asText()),
        UserPasswordHash.of(
            node.path("passwordHashVersion").asInt(0), node.get("passwordHash").asText()));
  }
}
