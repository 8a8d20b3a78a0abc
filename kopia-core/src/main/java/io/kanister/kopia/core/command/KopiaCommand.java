package io.kanister.kopia.core.command;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * One kopia invocation as a value: the arguments after the binary, the environment, and which
 * environment entries are secret.
 *
 * <p>Secrets travel only in {@link #secretEnvironment()}; construction fails if any argument
 * contains a secret value, and {@link #toString()} never shows one. That makes it safe to log a
 * command or put it in an error message.
 */
@Value.Immutable
public abstract class KopiaCommand {
  /** Secrets shorter than this are not searched for in arguments: they would match by chance. */
  private static final int MIN_SEARCHED_SECRET_LENGTH = 6;

  public abstract List<String> args();

  /** Plain environment entries, shown in {@link #toString()}. */
  public abstract Map<String, String> environment();

  /** Secret environment entries (passwords, storage keys): names shown, values never. */
  public abstract Map<String, String> secretEnvironment();

  @Value.Default
  public Duration timeout() {
    return Duration.ofMinutes(5);
  }

  public static ImmutableKopiaCommand.Builder builder() {
    return ImmutableKopiaCommand.builder();
  }

  public static KopiaCommand of(List<String> args) {
    return builder().args(args).build();
  }

  /**
   * A copy with more environment entries, for example a workspace's config and cache paths. The
   * command's own entries win: a connect command's {@code KOPIA_PASSWORD} is the one it was built
   * for.
   */
  public KopiaCommand withEnvironment(Map<String, String> plain, Map<String, String> secret) {
    Map<String, String> mergedPlain = new LinkedHashMap<>(plain);
    mergedPlain.putAll(environment());
    Map<String, String> mergedSecret = new LinkedHashMap<>(secret);
    mergedSecret.putAll(secretEnvironment());
    mergedSecret.keySet().forEach(mergedPlain::remove);
    // Built afresh rather than from(this): Guava's map builders reject duplicate keys with a
    // message that quotes both entries, values included.
    return builder()
        .args(args())
        .timeout(timeout())
        .environment(mergedPlain)
        .secretEnvironment(mergedSecret)
        .build();
  }

  @Value.Check
  protected void check() {
    if (args().isEmpty()) {
      throw new IllegalArgumentException("a kopia command needs at least one argument");
    }
    for (Map.Entry<String, String> secret : secretEnvironment().entrySet()) {
      String value = secret.getValue();
      if (value.length() < MIN_SEARCHED_SECRET_LENGTH) {
        continue;
      }
      for (int i = 0; i < args().size(); i++) {
        if (args().get(i).contains(value)) {
          throw new IllegalArgumentException(
              "argument "
                  + i
                  + " of 'kopia "
                  + verb()
                  + "' contains the value of secret "
                  + secret.getKey()
                  + "; secrets must only travel in the environment");
        }
      }
    }
  }

  private static String loggable(String arg) {
    for (String flag : UNLOGGED_FLAG_VALUES) {
      if (arg.startsWith(flag)) {
        return flag + "<redacted>";
      }
    }
    return arg;
  }

  /** The subcommand words, e.g. {@code repository create}, for short messages and metrics. */
  public String verb() {
    return args().stream()
        .takeWhile(a -> !a.startsWith("-") && !a.contains("@") && !a.contains("/"))
        .limit(3)
        .collect(Collectors.joining(" "));
  }

  /**
   * Flags whose values may stand on a command line but never in a log: a password hash is not the
   * password, yet a weak password could be guessed offline from it.
   */
  private static final List<String> UNLOGGED_FLAG_VALUES = List.of("--user-password-hash=");

  /** The command line with secret environment values and password hashes redacted. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("kopia");
    args().forEach(a -> out.append(' ').append(loggable(a)));
    if (!environment().isEmpty() || !secretEnvironment().isEmpty()) {
      out.append(" [env:");
      environment().keySet().stream().sorted().forEach(k -> out.append(' ').append(k));
      secretEnvironment().keySet().stream()
          .sorted()
          .forEach(k -> out.append(' ').append(k).append("=<redacted>"));
      out.append(']');
    }
    return out.toString();
  }
}
