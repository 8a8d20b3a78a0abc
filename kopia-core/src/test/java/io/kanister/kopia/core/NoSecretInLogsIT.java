package io.kanister.kopia.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.ProcessKopiaRunner;
import io.kanister.kopia.core.secret.SecretValue;
import io.kanister.kopia.core.storage.S3Location;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.RealS3;
import io.kanister.kopia.testsupport.S3Bucket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** With every logger at DEBUG, real kopia runs (good and failing) log no secret value. */
@RealKopia
@RealS3
class NoSecretInLogsIT {
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private Level previous;

  @BeforeEach
  void captureEverything() {
    previous = root.getLevel();
    root.setLevel(Level.DEBUG);
    captured.start();
    root.addAppender(captured);
  }

  @AfterEach
  void restore() {
    root.detachAppender(captured);
    root.setLevel(previous);
  }

  private static boolean isTestS3Server(String logger) {
    return logger.startsWith("org.gaul")
        || logger.startsWith("org.jclouds")
        || logger.startsWith("jclouds")
        || logger.startsWith("org.eclipse.jetty");
  }

  @Test
  void debugLogsCarryNoSecret(KopiaSandbox sandbox, S3Bucket bucket) {
    S3Location location = RealRepositories.s3(bucket, "logs/");
    Kopia kopia = RealRepositories.created(sandbox, location);
    kopia.status();
    SecretValue wrong = SecretValue.of("wrong-password-for-logs");
    assertThatThrownBy(
            () ->
                RealRepositories.kopia(sandbox, wrong)
                    .ensureRepository(location, RealRepositories.OPERATOR))
        .isInstanceOf(KopiaException.class);

    List<String> secrets =
        List.of(
            RealRepositories.PASSWORD.reveal(),
            wrong.reveal(),
            bucket.secretKey(),
            bucket.accessKey());
    // The in-JVM S3 server logs request headers; it is test infrastructure, not the product.
    root.detachAppender(captured); // background threads keep logging; read a settled list
    List<ILoggingEvent> product =
        List.copyOf(captured.list).stream()
            .filter(e -> !isTestS3Server(e.getLoggerName()))
            .toList();
    assertThat(product)
        .extracting(ILoggingEvent::getLoggerName)
        .contains(ProcessKopiaRunner.class.getName());
    for (ILoggingEvent event : product) {
      for (String secret : secrets) {
        assertThat(event.getFormattedMessage()).doesNotContain(secret);
      }
    }
  }
}
