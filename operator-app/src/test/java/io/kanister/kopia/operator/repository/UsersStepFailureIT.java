package io.kanister.kopia.operator.repository;

import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.condition;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.markAvailable;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.message;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.reconciler;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.secrets;
import static io.kanister.kopia.operator.repository.ServedRepositoryFixture.serviceName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.cache.InformerCache;
import io.kanister.controller.cache.SharedInformers;
import io.kanister.controller.reconcile.Request;
import io.kanister.kopia.core.command.KopiaCommand;
import io.kanister.kopia.core.error.KopiaErrorKind;
import io.kanister.kopia.core.error.KopiaFailure;
import io.kanister.kopia.core.exec.KopiaException;
import io.kanister.kopia.core.exec.KopiaRunner;
import io.kanister.kopia.model.AuthnMode;
import io.kanister.kopia.model.RepositoryLabels;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.export.WorkloadReexport;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import io.kanister.kopia.operator.users.RealKopiaServer;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.kanister.kopia.testsupport.kube.TestWorkloads;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 section 7, the users step of a serving server: a real kopia server (started with the
 * Repository's own TLS Secret and admin credentials) serves, the real API server holds the objects,
 * and kopia's {@code server users list} is made to throw. Whatever it throws, {@code UsersReady}
 * says so and {@code ServerReady} stays {@code True}; a refused TokenRequest and a failed re-export
 * too.
 */
@RealKopia
@RealKubernetes
class UsersStepFailureIT {
  private static final String NAME = "repository-users";

  @Test
  void usersStepFailuresSetUsersReadyAndLeaveAServingServerReady(
      KopiaSandbox sandbox, TestNamespace ns, @TempDir Path work) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    String target = ns.name();
    TestPki.Issued tls =
        TestPki.newCa("users-step-it")
            .issueServer("repo-server", List.of("localhost"), List.of("127.0.0.1"));
    AtomicReference<Supplier<Throwable>> usersList = new AtomicReference<>();

    try (RealKopiaServer real = RealKopiaServer.started(sandbox, tls)) {
      secrets(client, ns.name(), "users", tls, real);
      Repository repository = ServedRepositoryFixture.repository(ns.name(), NAME, "users", target);
      client.resource(repository).create();
      int port = URI.create(real.url()).getPort();
      ServerEndpointResolver endpoints = (host, p) -> "127.0.0.1:" + port;
      KopiaRunner process = new io.kanister.kopia.core.exec.ProcessKopiaRunner(sandbox.binary());
      KopiaRunner runner =
          command -> {
            List<String> args = command.args();
            Supplier<Throwable> failure = usersList.get();
            if (failure != null
                && args.size() > 2
                && args.subList(0, 3).equals(List.of("server", "users", "list"))) {
              throw UsersStepFailureIT.<RuntimeException>sneaky(failure.get());
            }
            return process.run(command);
          };

      try (SharedInformers informers = new SharedInformers(client)) {
        InformerCache<Repository> cache = informers.cache(Repository.class, ns.name());
        InformerCache<io.fabric8.kubernetes.api.model.Secret> secretCache =
            informers.cache(io.fabric8.kubernetes.api.model.Secret.class, ns.name());
        informers.start();
        informers.awaitSynced(Duration.ofSeconds(30));
        // Re-export runs as a user without rights to workloads or pods, so that it fails with an
        // API error; it may read the export-client record (a ConfigMap), as the operator may.
        KubernetesClient nobody = ns.cluster().clientAs("nobody", "none");
        client
            .rbac()
            .roles()
            .inNamespace(ns.name())
            .resource(
                new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                    .withNewMetadata()
                    .withName("record-reader")
                    .endMetadata()
                    .addNewRule()
                    .withApiGroups("")
                    .withResources("configmaps")
                    .withVerbs("get")
                    .endRule()
                    .build())
            .create();
        client
            .rbac()
            .roleBindings()
            .inNamespace(ns.name())
            .resource(
                new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                    .withNewMetadata()
                    .withName("record-reader")
                    .endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "Role", "record-reader")
                    .addNewSubject()
                    .withKind("User")
                    .withName("nobody")
                    .withApiGroup("rbac.authorization.k8s.io")
                    .endSubject()
                    .build())
            .create();
        RepositoryReconciler reconciler =
            reconciler(
                client, nobody, cache, secretCache, runner, endpoints, work, "users-step-it");
        Request request = new Request(ns.name(), NAME);

        reconciler.reconcile(request);
        assertThat(condition(client, repository, "ServerReady")).isEqualTo("False/Starting");
        markAvailable(client, ns.name(), serviceName(client, repository));
        reconciler.reconcile(request);
        assertThat(condition(client, repository, "ServerReady")).isEqualTo("True/Serving");
        assertThat(condition(client, repository, "UsersReady")).isEqualTo("True/Registered");

        record Injected(Supplier<Throwable> thrown, Class<?> retriedAs, String reason) {}
        List<Injected> injected =
            List.of(
                new Injected(
                    () ->
                        new KopiaException(
                            KopiaCommand.of(List.of("server", "users", "list")),
                            new KopiaFailure(
                                KopiaErrorKind.STORAGE_UNREACHABLE, OptionalInt.of(1), "injected")),
                    TransientRepositoryException.class,
                    "UsersStepFailed"),
                new Injected(
                    () -> new IllegalStateException("injected bug"),
                    TransientRepositoryException.class,
                    "UsersStepFailed"),
                new Injected(
                    () -> new IOException("injected checked"),
                    IOException.class,
                    StepFailure.REASON),
                new Injected(
                    StackOverflowError::new,
                    TransientRepositoryException.class,
                    StepFailure.REASON));
        int round = 0;
        for (Injected i : injected) {
          // A steady pass skips the users list while the user manifests are unchanged: another
          // client's user (left alone as foreign) makes this pass list them, and the list fails.
          real.operator()
              .addUser(
                  io.kanister.kopia.core.user.KopiaUsername.of("other" + round++ + "@elsewhere"),
                  io.kanister.kopia.core.user.UserPasswordHash.create(
                      io.kanister.kopia.core.secret.SecretValue.of("other-client-password")));
          usersList.set(i.thrown());
          assertThatThrownBy(() -> reconciler.reconcile(request)).isInstanceOf(i.retriedAs());
          assertThat(condition(client, repository, "ServerReady"))
              .as("after %s", i.reason())
              .isEqualTo("True/Serving");
          assertThat(condition(client, repository, "UsersReady")).isEqualTo("False/" + i.reason());
        }
        usersList.set(null);

        // A TokenRequest that fails (no such ServiceAccount) is the user's failure, not the
        // server's.
        client
            .apps()
            .statefulSets()
            .inNamespace(target)
            .resource(
                TestWorkloads.statefulSet(
                    target,
                    "orphan",
                    "missing",
                    Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT),
                    Map.of()))
            .create();
        reconciler.reconcile(request);
        assertThat(condition(client, repository, "ServerReady")).isEqualTo("True/Serving");
        // (The re-export, which cannot look the workload up, also failed: the message says so.)
        assertThat(condition(client, repository, "UsersReady"))
            .isEqualTo("False/ServiceAccountNotFound");
        assertThat(message(client, repository, "UsersReady"))
            .contains("does not exist", "re-exporting client files failed");
        client.apps().statefulSets().inNamespace(target).withName("orphan").delete();

        // A workload that asks for client files, which the re-export cannot even look up.
        client
            .serviceAccounts()
            .inNamespace(target)
            .resource(
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName("backup")
                    .withNamespace(target)
                    .endMetadata()
                    .build())
            .create();
        client
            .apps()
            .statefulSets()
            .inNamespace(target)
            .resource(
                TestWorkloads.statefulSet(
                    target,
                    "db",
                    "backup",
                    Map.of(RepositoryLabels.AUTHN_MODE, AuthnMode.SERVICE_ACCOUNT),
                    Map.of(WorkloadReexport.PATH_ANNOTATION, "/kopia")))
            .create();
        client
            .apps()
            .statefulSets()
            .inNamespace(target)
            .withName("orphan")
            .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);
        reconciler.reconcile(request);
        assertThat(condition(client, repository, "ServerReady")).isEqualTo("True/Serving");
        assertThat(condition(client, repository, "UsersReady")).isEqualTo("False/ReexportFailed");
        assertThat(message(client, repository, "UsersReady"))
            .contains("1/1 users registered", "Kubernetes API error 403");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
