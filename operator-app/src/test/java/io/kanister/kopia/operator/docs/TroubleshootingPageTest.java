package io.kanister.kopia.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md lists every reason the code can put on a condition, a failed user or an
 * Event. Reasons are UpperCamelCase string literals wherever they are set (directly, through a
 * constant, an enum or a switch), so every such literal in the main sources is either a reason on
 * the page or a known non-reason below; a new reason fails here until the page explains it.
 */
class TroubleshootingPageTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> SOURCES =
      List.of(
          "operator-app/src/main/java",
          "repository-model/src/main/java",
          "controller-runtime/src/main/java");
  private static final Pattern LITERAL =
      Pattern.compile("\"([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)\"");

  /** UpperCamelCase literals that are not reasons: kinds, condition statuses, header names... */
  private static final Set<String> NOT_REASONS =
      Set.of(
          // Kubernetes kinds, Secret and Service types, field values
          "StatefulSet",
          "Deployment",
          "DaemonSet",
          "Opaque",
          "ClusterIP",
          "Recreate",
          "RuntimeDefault",
          "Running",
          "AdmissionReview",
          // condition statuses and Event types
          "True",
          "False",
          "Unknown",
          "Normal",
          "Warning",
          // printer column names
          "Users",
          "Target",
          "Server",
          "Repository",
          "Operator",
          "Age",
          // a header name and a JDK algorithm name
          "Authorization",
          "HmacSHA256",
          // condition types: the page's section headings
          "RepositoryReady",
          "PolicyApplied",
          "ServerReady",
          "UsersReady",
          "MaintenanceHealthy");

  @Test
  void everyReasonTheCodeCanSetIsExplained() throws IOException {
    String page = Files.readString(ROOT.resolve("docs/troubleshooting.md"));
    Set<String> reasons = new TreeSet<>();
    for (String source : SOURCES) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(source))) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> collect(f, reasons));
      }
    }
    reasons.removeAll(NOT_REASONS);
    System.out.printf("[figures] troubleshooting page: %d reasons checked%n", reasons.size());
    assertThat(reasons).hasSizeGreaterThan(30);
    assertThat(reasons)
        .as(
            "reasons set by the code but missing from docs/troubleshooting.md (add a row with the"
                + " meaning and the fix, or list a literal that is no reason in NOT_REASONS)")
        .allSatisfy(reason -> assertThat(page).contains("`" + reason + "`"));
    // Section headings: every condition type has its own table.
    assertThat(page)
        .contains(
            "## RepositoryReady",
            "## PolicyApplied",
            "## ServerReady",
            "## UsersReady",
            "## MaintenanceHealthy");
  }

  private static void collect(Path file, Set<String> into) {
    try {
      Matcher literal = LITERAL.matcher(Files.readString(file));
      while (literal.find()) {
        into.add(literal.group(1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
