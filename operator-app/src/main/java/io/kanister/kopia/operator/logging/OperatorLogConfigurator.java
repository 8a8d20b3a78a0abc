package io.kanister.kopia.operator.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The operator's logging, set up in code (found by logback through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator}): an XML configuration costs about 500
 * classes and 0.3 s of CPU at every start (issue 14 P5), for five loggers and one appender.
 *
 * <p>INFO by default; {@code LOG_LEVEL} (env or system property) sets the operator's own loggers,
 * {@code LOG_LIBRARY_LEVEL} the libraries' (fabric8, Jetty, ...; INFO), and {@code LOG_FORMAT=json}
 * writes one JSON object a line (MDC included) instead of text. Every reconcile line carries the
 * MDC: resource = Kind(namespace/name) and reconcileId. A logback configuration file ({@code
 * -Dlogback.configurationFile}, or {@code logback-test.xml} or {@code logback.xml} on the class
 * path, as the tests have) takes precedence, as it would over logback's defaults.
 */
public final class OperatorLogConfigurator extends ContextAwareBase implements Configurator {
  /** Time, level, thread, logger, [Kind(ns/name) reconcileId] when reconciling, message. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24}"
          + " %replace([%X{resource} %X{reconcileId}] ){'^\\[ \\] $', ''}- %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (configurationFileGiven()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** What logback's own configurator would read instead. */
  static boolean configurationFileGiven() {
    ClassLoader loader = OperatorLogConfigurator.class.getClassLoader();
    return System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  /** Configures {@code context}; its properties, then system properties, then env give values. */
  public static void apply(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder(context, value(context, "LOG_FORMAT", "text")));
    console.start();

    level(context, context.getLogger("io.kanister"), value(context, "LOG_LEVEL", "INFO"));
    // Warns on every client built for a v1alpha1 resource: the CRD's version is deliberate.
    context
        .getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
        .setLevel(Level.ERROR);
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("org.bouncycastle").setLevel(Level.WARN);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    level(context, root, value(context, "LOG_LIBRARY_LEVEL", "INFO"));
    root.addAppender(console);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if (format.toLowerCase(Locale.ROOT).equals("json")) {
      // One JSON object an event, with the MDC, for log collectors.
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.start();
      return json;
    }
    if (!format.toLowerCase(Locale.ROOT).equals("text")) {
      context
          .getStatusManager()
          .add(
              new ch.qos.logback.core.status.WarnStatus(
                  "LOG_FORMAT=" + format + " is neither text nor json; writing text",
                  OperatorLogConfigurator.class));
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern(TEXT_PATTERN);
    text.start();
    return text;
  }

  /** As logback's XML configuration reads a level: empty leaves it, INHERITED or NULL clears it. */
  private static void level(LoggerContext context, Logger logger, String value) {
    if (value.isEmpty()) {
      return;
    }
    if (value.equalsIgnoreCase("INHERITED") || value.equalsIgnoreCase("NULL")) {
      if (!logger.getName().equals(Logger.ROOT_LOGGER_NAME)) {
        logger.setLevel(null);
      }
      return;
    }
    logger.setLevel(Level.toLevel(value));
  }

  /** {@code ${name:-fallback}} in logback's configuration files: context, system, environment. */
  private static String value(LoggerContext context, String name, String fallback) {
    String value = context.getProperty(name);
    if (value == null) {
      value = System.getProperty(name);
    }
    if (value == null) {
      value = System.getenv(name);
    }
    return value == null ? fallback : value.trim();
  }
}
