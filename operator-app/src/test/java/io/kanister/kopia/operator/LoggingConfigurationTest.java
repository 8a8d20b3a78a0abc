package io.kanister.kopia.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kanister.kopia.operator.logging.OperatorLogConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The operator's logging ({@link OperatorLogConfigurator}; tests use logback-test.xml, so it is
 * applied here to a context of its own).
 */
class LoggingConfigurationTest {
  @Test
  void infoByDefaultWithTheReconcileContextOnTheLine() throws Exception {
    String out =
        logged(
            Map.of(),
            context -> {
              Logger log = context.getLogger("io.kanister.kopia.operator.repository.X");
              context.getMDCAdapter().put("resource", "Repository(kanister/repository-demo)");
              context.getMDCAdapter().put("reconcileId", "3fa2b1");
              log.info("server objects: Deployment repo-demo created");
              log.debug("not shown by default");
              context.getMDCAdapter().clear();
              log.info("outside a reconcile");
            });

    assertThat(out)
        .contains("INFO")
        .contains("[Repository(kanister/repository-demo) 3fa2b1] - server objects")
        .doesNotContain("not shown by default");
    assertThat(out.lines().filter(l -> l.contains("outside a reconcile")))
        .singleElement()
        .satisfies(l -> assertThat(l).endsWith(".X - outside a reconcile"));
  }

  @Test
  void debugForTheOperatorNeverForLibraries() throws Exception {
    String out =
        logged(
            Map.of("LOG_LEVEL", "DEBUG"),
            context -> {
              context.getLogger("io.kanister.kopia.operator.X").debug("operator detail");
              context.getLogger("io.fabric8.kubernetes.client.X").debug("client chatter");
              context.getLogger("org.eclipse.jetty.X").info("jetty chatter");
            });

    assertThat(out).contains("operator detail").doesNotContain("client chatter", "jetty chatter");
  }

  @Test
  void jsonFormatIsOneObjectPerLineWithTheMdc() throws Exception {
    String out =
        logged(
            Map.of("LOG_FORMAT", "json"),
            context -> {
              context.getMDCAdapter().put("resource", "Repository(kanister/repository-demo)");
              context.getLogger("io.kanister.kopia.operator.X").info("hello");
              context.getMDCAdapter().clear();
            });

    var line =
        new ObjectMapper()
            .readTree(out.lines().filter(l -> l.contains("hello")).findFirst().orElseThrow());
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("message").asText()).isEqualTo("hello");
    assertThat(line.get("mdc").get("resource").asText())
        .isEqualTo("Repository(kanister/repository-demo)");
  }

  @Test
  void theLineFormatIsTheOneLogCollectorsParse() throws Exception {
    String out =
        logged(
            Map.of(),
            context -> {
              context.getMDCAdapter().put("resource", "Repository(kanister/repository-demo)");
              context.getMDCAdapter().put("reconcileId", "3fa2b1");
              context
                  .getLogger("io.kanister.kopia.operator.repository.RepositoryReconciler")
                  .warn("w");
              context.getMDCAdapter().clear();
            });

    assertThat(out.strip())
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  \\[[^\\]]+\\]"
                + " i\\.k\\.k\\.o\\.r\\.RepositoryReconciler"
                + " \\[Repository\\(kanister/repository-demo\\) 3fa2b1\\] - w");
  }

  @Test
  void libraryChatterStaysOutAndTheLevelsAreTheDocumentedOnes() throws Exception {
    String out =
        logged(
            Map.of("LOG_LIBRARY_LEVEL", "DEBUG"),
            context -> {
              context.getLogger("io.fabric8.kubernetes.client.X").debug("client detail");
              context
                  .getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
                  .warn("unstable version");
              context.getLogger("io.netty.X").info("netty chatter");
              context.getLogger("org.bouncycastle.X").info("bouncycastle chatter");
              context.getLogger("io.kanister.kopia.operator.X").debug("operator detail");
            });

    assertThat(out)
        .contains("client detail")
        .doesNotContain("unstable version", "netty chatter", "bouncycastle chatter")
        .doesNotContain("operator detail");
  }

  @Test
  void anUnknownFormatWritesText() throws Exception {
    String out =
        logged(
            Map.of("LOG_FORMAT", "yaml"),
            context -> context.getLogger("io.kanister.kopia.operator.X").info("still logged"));

    assertThat(out).contains("INFO ").contains(".X - still logged");
  }

  @Test
  void aLogbackFileOnTheClassPathTakesPrecedence() {
    // logback-test.xml is on the test class path: logback's own configurator reads it.
    var configurator = new OperatorLogConfigurator();
    configurator.setContext(new LoggerContext());
    assertThat(configurator.configure(new LoggerContext()))
        .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }

  private interface Body {
    void run(LoggerContext context) throws Exception;
  }

  private static String logged(Map<String, String> properties, Body body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    // A context of its own: the process-wide one is configured by logback-test.xml.
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      properties.forEach(context::putProperty);
      OperatorLogConfigurator.apply(context);
      body.run(context);
    } finally {
      context.stop();
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
