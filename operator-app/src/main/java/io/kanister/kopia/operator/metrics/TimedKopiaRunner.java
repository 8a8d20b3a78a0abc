package io.kanister.kopia.operator.metrics;

import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.exec.KopiaCancelledException;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Times every kopia command the operator runs: {@code kopia_command_duration_seconds{verb,outcome}}
 * as a histogram, so that slow storage shows as a shift in the buckets of {@code repository
 * connect} or {@code policy list}. The verb is the subcommand words only (never a user name, path
 * or value), which keeps the label set small and secret-free.
 */
public final class TimedKopiaRunner implements KopiaRunner {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(30)
  };

  private final KopiaRunner delegate;
  private final MeterRegistry registry;

  public TimedKopiaRunner(KopiaRunner delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public KopiaResult run(KopiaCommand command) {
    long start = System.nanoTime();
    String outcome = "ok";
    try {
      return delegate.run(command);
    } catch (KopiaException e) {
      outcome = e.kind().name().toLowerCase(Locale.ROOT);
      throw e;
    } catch (KopiaCancelledException e) {
      outcome = "cancelled";
      throw e;
    } catch (RuntimeException e) {
      outcome = "error";
      throw e;
    } finally {
      Timer.builder("kopia.command.duration")
          .description("Time the kopia commands the operator ran took, by subcommand and outcome")
          .tag("verb", command.verb().isEmpty() ? "kopia" : command.verb())
          .tag("outcome", outcome)
          .serviceLevelObjectives(BUCKETS)
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
