package io.kanister.kopia.operator.cli;

import java.util.List;
import java.util.Optional;

/** The arguments of {@code status}, parsed. */
record StatusOptions(
    boolean help,
    Optional<String> name,
    Optional<String> namespace,
    boolean allNamespaces,
    Output output)
    implements Subcommand.Options {

  enum Output {
    TEXT,
    JSON
  }

  static StatusOptions parse(List<String> args) {
    boolean help = false;
    boolean all = false;
    String name = null;
    String namespace = null;
    String output = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.equals("-A") || arg.equals("--all-namespaces")) {
        all = true;
      } else if (arg.equals("-n") || arg.equals("--namespace")) {
        namespace = once(namespace, value(args, ++i, arg), "--namespace");
      } else if (arg.startsWith("--namespace=")) {
        namespace = once(namespace, arg.substring("--namespace=".length()), "--namespace");
      } else if (arg.equals("-o") || arg.equals("--output")) {
        output = once(output, value(args, ++i, arg), "--output");
      } else if (arg.startsWith("--output=") || arg.startsWith("-o=")) {
        output = once(output, arg.substring(arg.indexOf('=') + 1), "--output");
      } else if (arg.startsWith("-")) {
        throw new IllegalArgumentException("unknown flag " + flagName(arg));
      } else if (name == null) {
        name = arg;
      } else {
        throw new IllegalArgumentException("only one Repository NAME may be given");
      }
    }
    if (all && namespace != null) {
      throw new IllegalArgumentException("--namespace and --all-namespaces exclude each other");
    }
    if (all && name != null) {
      throw new IllegalArgumentException("NAME needs one namespace; drop --all-namespaces");
    }
    if (namespace != null && namespace.isBlank()) {
      throw new IllegalArgumentException("--namespace is empty");
    }
    return new StatusOptions(
        help, Optional.ofNullable(name), Optional.ofNullable(namespace), all, output(output));
  }

  private static Output output(String value) {
    if (value == null || value.equals("text")) {
      return Output.TEXT;
    }
    if (value.equals("json")) {
      return Output.JSON;
    }
    throw new IllegalArgumentException("--output must be text or json, not '" + value + "'");
  }

  private static String value(List<String> args, int index, String flag) {
    if (index >= args.size()) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args.get(index);
  }

  private static String once(String previous, String value, String flag) {
    if (previous != null) {
      throw new IllegalArgumentException(flag + " given twice");
    }
    return value;
  }

  /** The flag without any value, which is never echoed. */
  private static String flagName(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }
}
