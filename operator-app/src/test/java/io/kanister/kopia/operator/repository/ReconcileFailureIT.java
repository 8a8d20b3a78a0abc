package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.error.KopiaFailure;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaResult;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16 section 7 on a real API server: whatever a step throws (kopia failures of every kind,
 * API errors, bugs, checked exceptions, Errors), the pass writes a condition that says what failed
 * before it retries, and the retry is one the work queue makes (an exception, never an Error).
 */
@RealKubernetes
class ReconcileFailureIT {
  private static final String PASSWORD = "reconciler-failure-password-1";
  private static final String NAME = "repository-app";

  /**
   * @param thrown what kopia's runner throws at {@code repository connect}
   * @param reason the RepositoryReady reason written
   * @param retriedAs what the reconcile throws for the work queue to retry
   * @param detail a part of the condition message
   */
  record Case(
      String name,
      Supplier<Throwable> thrown,
      String reason,
      Class<? extends Throwable> retriedAs,
      String detail) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static KopiaException kopia(KopiaErrorKind kind) {
    return new KopiaException(
        KopiaCommand.of(List.of("repository", "connect")),
        new KopiaFailure(kind, OptionalInt.of(1), "injected " + kind));
  }

  static Stream<Case> cases() {
    Stream<Case> kopiaKinds =
        Stream.of(KopiaErrorKind.values())
            .filter(k -> k != KopiaErrorKind.INVALID_PASSWORD)
            .filter(k -> k != KopiaErrorKind.REPOSITORY_NOT_INITIALIZED)
            .map(
                kind ->
                    new Case(
                        "kopia " + kind,
                        () -> kopia(kind),
                        null,
                        TransientRepositoryException.class,
                        "injected " + kind));
    Stream<Case> others =
        Stream.of(
            new Case(
                "an API error",
                () ->
                    new KubernetesClientException(
                        new StatusBuilder()
                            .withCode(500)
                            .withMessage("etcdserver: request timed out")
                            .build()),
                StepFailure.REASON,
                KubernetesClientException.class,
                "Kubernetes API error 500: etcdserver: request timed out"),
            new Case(
                "a bug",
                () -> new IllegalStateException("no workspace for this repository"),
                StepFailure.REASON,
                IllegalStateException.class,
                "IllegalStateException: no workspace for this repository"),
            new Case(
                "a library message quoting a value",
                () -> new IllegalArgumentException("rejected value \"" + PASSWORD + "\""),
                StepFailure.REASON,
                IllegalArgumentException.class,
                "rejected value"),
            new Case(
                "an I/O error",
                () -> new UncheckedIOException(new IOException("No space left on device")),
                StepFailure.REASON,
                UncheckedIOException.class,
                "No space left on device"),
            new Case(
                "a checked exception",
                () -> new IOException("workspace unreadable"),
                StepFailure.REASON,
                IOException.class,
                "IOException: workspace unreadable"),
            new Case(
                "a stack overflow",
                StackOverflowError::new,
                StepFailure.REASON,
                TransientRepositoryException.class,
                "StackOverflowError"),
            new Case(
                "a linkage error",
                () -> new NoClassDefFoundError("io/kanister/Missing"),
                StepFailure.REASON,
                TransientRepositoryException.class,
                "NoClassDefFoundError"),
            new Case(
                "an assertion",
                () -> new AssertionError("unreachable"),
                StepFailure.REASON,
                TransientRepositoryException.class,
                "AssertionError: unreachable"));
    return Stream.concat(kopiaKinds, others);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyFailureWritesStatusBeforeItRetries(Case c, TestNamespace ns, @TempDir Path work)
      throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    RepositoryReconcilerIT.Fixture fixture =
        new RepositoryReconcilerIT.Fixture(
            client, ns.name(), Files.createDirectories(work.resolve("repository")));
    fixture.allSecrets();
    Repository repository = repository(ns.name());
    client.resource(repository).create();
    KopiaRunner throwing =
        command -> {
          if (command.args().size() > 1 && command.args().get(1).equals("connect")) {
            throw ReconcileFailureIT.<RuntimeException>sneaky(c.thrown().get());
          }
          return new KopiaResult("[]", "", Duration.ZERO, false);
        };

    try (SharedInformers informers = new SharedInformers(client)) {
      InformerCache<Repository> cache = informers.cache(Repository.class, ns.name());
      InformerCache<Secret> secrets = informers.cache(Secret.class, ns.name());
      informers.start();
      informers.awaitSynced(Duration.ofSeconds(30));
      RepositoryReconciler reconciler = reconciler(client, cache, secrets, throwing, work);
      assertThatThrownBy(() -> reconciler.reconcile(new Request(ns.name(), NAME)))
          .isInstanceOf(c.retriedAs());
    }

    Repository stored = client.resource(repository).get();
    Condition ready = stored.getStatus().condition("RepositoryReady").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
    if (c.reason() != null) {
      assertThat(ready.getReason()).isEqualTo(c.reason());
    }
    assertThat(ready.getMessage())
        .contains(c.detail())
        .doesNotContain(PASSWORD)
        .hasSizeLessThan(1024);
    assertThat(stored.getMetadata().getFinalizers()).contains(RepositoryReconciler.FINALIZER);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  private static RepositoryReconciler reconciler(
      KubernetesClient client,
      InformerCache<Repository> cache,
      InformerCache<Secret> secrets,
      KopiaRunner kopia,
      Path work)
      throws IOException {
    Clock clock = Clock.systemUTC();
    ServerEndpointResolver endpoints = (host, port) -> host + ":" + port;
    return TestReconcilers.reconciler(
        client, cache, secrets, kopia, work, endpoints, clock, null, "failure-it");
  }

  private static Repository repository(String namespace) {
    return TestReconcilers.repository(namespace, NAME);
  }
}
