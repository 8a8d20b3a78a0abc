package io.kanister.kopia.testsupport;

import org.junit.jupiter.api.Assumptions;

/**
 * Decides what happens when a real part (a binary, a server) that a test needs is missing.
 *
 * <p>In CI ({@code CI=true}) or with {@code -Dkko.requireRealParts=true} the test fails, naming the
 * missing part: a green build must never hide real tests that did not run. On a plain local run the
 * test is skipped with a loud line on stderr.
 */
public final class RealParts {
  private RealParts() {}

  public static boolean strict() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || Boolean.parseBoolean(System.getProperty("kko.requireRealParts", "false"));
  }

  /** Fails (strict) or aborts (local) the current test because {@code part} is missing. */
  public static RuntimeException missing(String part, String howToFix) {
    String message = "real part missing: " + part + ". " + howToFix;
    if (strict()) {
      throw new IllegalStateException(
          message + " (strict mode: CI=true or -Dkko.requireRealParts)");
    }
    System.err.println("!!!!! SKIPPING a real-part test: " + message);
    Assumptions.abort(message);
    return new IllegalStateException(message); // unreachable: abort throws
  }

  /** Prints once per JVM which real part a run used, so reports show the versions. */
  public static void announce(String part, String detail) {
    System.out.println("[real-parts] " + part + ": " + detail);
  }
}
