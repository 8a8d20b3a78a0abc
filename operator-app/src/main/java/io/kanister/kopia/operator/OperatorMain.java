package io.kanister.kopia.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;

/**
 * Entry point of the Kanister Kopia operator.
 *
 * <p>The reconcilers are not wired yet; today the command prints its usage and version.
 */
public final class OperatorMain {
  static final String USAGE =
      """
      Usage: kopia-operator [--help] [--version]

      The Kanister Kopia operator manages Kopia repositories and repository servers
      for the Repository custom resource (cr.kanister.io/v1alpha1).

        --help      print this message
        --version   print the operator version
      """;

  private OperatorMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && args[0].equals("--version")) {
      out.println("kopia-operator " + version());
      return 0;
    }
    if (args.length == 1 && args[0].equals("--help")) {
      out.print(USAGE);
      return 0;
    }
    if (args.length > 0) {
      err.println("kopia-operator: unknown argument '" + args[0] + "'; see --help");
      return 2;
    }
    out.print(USAGE);
    out.println("kopia-operator " + version() + ": the reconcilers are not available yet.");
    return 0;
  }

  static String version() {
    Properties properties = new Properties();
    try (InputStream in =
        OperatorMain.class.getResourceAsStream("/kopia-operator-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }
}
