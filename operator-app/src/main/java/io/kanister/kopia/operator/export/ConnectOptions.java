package io.kanister.kopia.operator.export;

import io.kanister.kopia.operator.cli.Subcommand;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The arguments of {@code connect}, parsed; never holds a password. */
record ConnectOptions(
    boolean help,
    String repository,
    Optional<String> namespace,
    String user,
    String directory,
    Optional<String> serverAddress,
    boolean passwordFromStdin)
    implements Subcommand.Options {
  private static final Set<String> VALUED = Set.of("namespace", "user", "to-dir", "server-address");

  static ConnectOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    String name = null;
    boolean help = false;
    boolean stdin = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.equals("--password-stdin")) {
        stdin = true;
      } else if (!arg.startsWith("-") && name == null) {
        name = arg;
      } else {
        int eq = arg.indexOf('=');
        String flag = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
        if (flag == null || !VALUED.contains(flag)) {
          // Never echo the argument: someone may have typed a password where a flag goes.
          throw new IllegalArgumentException("unknown argument #" + (i + 1));
        }
        if (values.put(flag, arg.substring(eq + 1)) != null) {
          throw new IllegalArgumentException("--" + flag + " given twice");
        }
      }
    }
    if (help) {
      return new ConnectOptions(true, "", Optional.empty(), "", "", Optional.empty(), false);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the Repository NAME is required");
    }
    Optional<String> address = optional(values, "server-address");
    address.ifPresent(ConnectOptions::checkAddress);
    return new ConnectOptions(
        false,
        name,
        optional(values, "namespace"),
        required(values, "user"),
        required(values, "to-dir"),
        address,
        stdin);
  }

  /** HOST:PORT, [IPv6]:PORT included; the scheme stays the status URL's (https). */
  static void checkAddress(String address) {
    int colon = address.lastIndexOf(':');
    String port = colon < 0 ? "" : address.substring(colon + 1);
    if (colon <= 0
        || port.isEmpty()
        || !port.chars().allMatch(Character::isDigit)
        || Integer.parseInt(port.length() > 5 ? "99999" : port) > 65535
        || address.contains("/")) {
      throw new IllegalArgumentException(
          "--server-address must be HOST:PORT, e.g. 127.0.0.1:51515 for a kubectl port-forward");
    }
  }

  private static String required(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static Optional<String> optional(Map<String, String> values, String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
  }
}
