package io.kanister.kopia.core.policy;

import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * What a policy applies to: the global policy, a host ({@code @host}), a user ({@code user@host})
 * or a path ({@code user@host:/path}). Unused parts are empty strings, as in Kopia's JSON.
 */
@Value.Immutable
public abstract class PolicyTarget {
  /** Kopia's display name for the global target, also accepted as a target argument. */
  public static final String GLOBAL_NAME = "(global)";

  private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("[A-Za-z]:[\\\\/].*");
  private static final Pattern WINDOWS_ROOT = Pattern.compile("[A-Za-z]:[\\\\/]");

  /** The kind of target, from the most general to the most specific. */
  public enum Kind {
    GLOBAL,
    HOST,
    USER,
    PATH
  }

  @Value.Parameter
  public abstract String userName();

  @Value.Parameter
  public abstract String host();

  @Value.Parameter
  public abstract String path();

  public static PolicyTarget global() {
    return ImmutablePolicyTarget.of("", "", "");
  }

  public static PolicyTarget host(String host) {
    return ImmutablePolicyTarget.of("", host, "");
  }

  public static PolicyTarget user(String userName, String host) {
    return ImmutablePolicyTarget.of(userName, host, "");
  }

  public static PolicyTarget path(String userName, String host, String path) {
    return ImmutablePolicyTarget.of(userName, host, path);
  }

  /** The parts as Kopia's JSON gives them ({@code target{host,userName,path}}). */
  public static PolicyTarget of(String userName, String host, String path) {
    return ImmutablePolicyTarget.of(userName, host, path);
  }

  /**
   * Parses {@code (global)}, {@code @host}, {@code user@host} or {@code user@host:/path}. Bare
   * local paths are not accepted: Kopia would resolve them against the client's own user and host.
   */
  public static PolicyTarget parse(String text) {
    if (text.equals(GLOBAL_NAME)) {
      return global();
    }
    if (text.startsWith("@")) {
      return host(text.substring(1));
    }
    int at = text.indexOf('@');
    if (at <= 0) {
      throw new InvalidPolicyException(
          "policy target must be (global), @host, user@host or user@host:/path, got '"
              + text
              + "'");
    }
    String hostAndPath = text.substring(at + 1);
    int colon = hostAndPath.indexOf(':');
    if (colon < 0) {
      return user(text.substring(0, at), hostAndPath);
    }
    return path(
        text.substring(0, at), hostAndPath.substring(0, colon), hostAndPath.substring(colon + 1));
  }

  @Value.Derived
  public Kind kind() {
    if (!path().isEmpty()) {
      return Kind.PATH;
    }
    if (!userName().isEmpty()) {
      return Kind.USER;
    }
    return host().isEmpty() ? Kind.GLOBAL : Kind.HOST;
  }

  /**
   * How {@code kopia policy set/show/delete} receive this target: the {@code --global} flag, or one
   * positional argument.
   */
  public String cliArgument() {
    return kind() == Kind.GLOBAL ? "--global" : text();
  }

  /** Kopia's display form: {@code (global)}, {@code @host}, {@code user@host[:path]}. */
  public String text() {
    switch (kind()) {
      case GLOBAL:
        return GLOBAL_NAME;
      case HOST:
        return "@" + host();
      case USER:
        return userName() + "@" + host();
      default:
        return userName() + "@" + host() + ":" + path();
    }
  }

  @Value.Check
  protected void check() {
    if (!path().isEmpty() && (userName().isEmpty() || host().isEmpty())) {
      throw new InvalidPolicyException(
          "a path policy target needs a user and a host, got '" + userName() + "@" + host() + "'");
    }
    if (!userName().isEmpty() && host().isEmpty()) {
      throw new InvalidPolicyException(
          "a user policy target needs a host, got user '" + userName() + "'");
    }
    if (!userName().isEmpty()) {
      requireName("user name", userName());
      if (userName().startsWith("-")) {
        throw new InvalidPolicyException(
            "policy target user name must not start with '-': '" + userName() + "'");
      }
    }
    if (!host().isEmpty()) {
      requireName("host", host());
    }
    if (!path().isEmpty()) {
      checkPath(path());
    }
  }

  private static void requireName(String what, String value) {
    if (value.chars().anyMatch(c -> c == '@' || c == ':' || Character.isWhitespace(c))) {
      throw new InvalidPolicyException(
          "policy target " + what + " must not contain '@', ':' or whitespace: '" + value + "'");
    }
  }

  private static void checkPath(String path) {
    boolean windows = WINDOWS_ABSOLUTE.matcher(path).matches();
    if (!path.startsWith("/") && !windows) {
      throw new InvalidPolicyException("policy target path must be absolute: '" + path + "'");
    }
    boolean root = path.equals("/") || WINDOWS_ROOT.matcher(path).matches();
    if (!root && (path.endsWith("/") || path.endsWith("\\"))) {
      throw new InvalidPolicyException(
          "policy target path must not end in '/' or '\\' unless it is the root: '" + path + "'");
    }
  }
}
