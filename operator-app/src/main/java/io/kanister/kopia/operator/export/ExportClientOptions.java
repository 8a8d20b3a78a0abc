package io.kanister.kopia.operator.export;

import io.kanister.kopia.operator.cli.Subcommand;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The flags of {@code export-client}, parsed; never holds a password. */
record ExportClientOptions(
    boolean help,
    String repository,
    Optional<String> namespace,
    String user,
    String pod,
    Optional<String> podNamespace,
    String container,
    Optional<String> directory,
    boolean passwordFromStdin)
    implements Subcommand.Options {
  private static final Set<String> VALUED =
      Set.of("repository", "namespace", "user", "pod", "pod-namespace", "container", "dir");

  static ExportClientOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    boolean help = false;
    boolean stdin = false;
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (arg.equals("--password-stdin")) {
        stdin = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (name == null || !VALUED.contains(name)) {
        // Never echo the argument: someone may have typed a password where a flag goes.
        throw new IllegalArgumentException(
            "unknown argument #" + (java.util.Arrays.asList(args).indexOf(arg) + 1));
      }
      if (values.put(name, arg.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("--" + name + " given twice");
      }
    }
    if (help) {
      return new ExportClientOptions(
          true, "", Optional.empty(), "", "", Optional.empty(), "", Optional.empty(), false);
    }
    return new ExportClientOptions(
        false,
        required(values, "repository"),
        optional(values, "namespace"),
        required(values, "user"),
        required(values, "pod"),
        optional(values, "pod-namespace"),
        required(values, "container"),
        optional(values, "dir"),
        stdin);
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
