package io.kanister.kopia.e2e;

import static io.kanister.kopia.e2e.E2eSupport.awaitReason;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryCrd;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.OperatorOptions;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.CustomResourceDefinitions;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Input a hostile tenant would try, through the real API server and the real kopia: each case ends
 * in a False condition that names the Secret and the key, and no value shows anywhere (status,
 * Events, the operator's log).
 */
@RealKubernetes
@RealKopia
class HostileInputE2E {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String NUL_PASSWORD_TAIL = "after-the-nul-never-shown";

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void captureLog() {
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    root.detachAppender(log);
  }

  @Test
  void aNulByteInTheRepositoryPasswordIsNamedAndNeverShown(TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    OperatorOptions options =
        LocalOperator.options(
            namespace, sandbox.binary(), sandbox.newDir("work"), Duration.ofSeconds(30));
    String password = "nul-pass\0" + NUL_PASSWORD_TAIL;
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("nul-location")
                .withNamespace(namespace)
                .endMetadata()
                .withType("Opaque")
                .withData(
                    Map.of(
                        "type", base64("filesystem"),
                        "path", base64(sandbox.newDir("nul-repo").toString()),
                        "repo-password", base64(password)))
                .build())
        .create();
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-n"));
    client
        .resource(
            RepositoryFixtures.repository(
                namespace, "nul-repo", "n", "nul-location", "admin", "tls"))
        .create();

    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"))) {
      Condition condition =
          awaitReason(client, namespace, "nul-repo", "RepositoryReady", "InvalidSecret", SETTLE);
      assertThat(condition.getStatus()).isEqualTo("False");
      assertThat(condition.getMessage())
          .contains("Secret " + namespace + "/nul-location, key 'repo-password'")
          .contains("a NUL byte");
      assertThat(operator.kopia().invocations()).as("kopia never ran for it").isZero();
    }

    assertNowhere(client, namespace, NUL_PASSWORD_TAIL);
  }

  @Test
  void filesystemLocationsStayUnderTheRootsAndAMissingDirectoryIsNamed(
      TestNamespace ns, KopiaSandbox sandbox) throws Exception {
    KubernetesClient client = ns.client();
    LocalOperator.installCrd(client);
    String namespace = ns.name();
    Path allowed = sandbox.newDir("allowed");
    OperatorOptions options =
        LocalOperator.options(
            namespace,
            RepositoryScope.NAMESPACE,
            sandbox.binary(),
            sandbox.newDir("work"),
            Duration.ofSeconds(30),
            List.of("--filesystem-roots=" + allowed));
    Path missing = allowed.resolve("not-yet");
    boolean etcHadRepository = Files.exists(Path.of("/etc/kopia.repository.f"));
    RepositoryFixtures.create(
        client,
        RepositoryFixtures.admin(namespace, "admin"),
        RepositoryFixtures.tls(namespace, "tls", ns.cluster().pki(), "repo-p"),
        RepositoryFixtures.filesystemLocation(namespace, "dot-dot", "/tmp/../../etc", "pw-123456"),
        RepositoryFixtures.filesystemLocation(namespace, "outside", "/etc", "pw-123456"),
        RepositoryFixtures.filesystemLocation(namespace, "missing", missing + "/", "pw-123456"));
    for (String[] repo :
        new String[][] {
          {"r-dot-dot", "p", "dot-dot"},
          {"r-outside", "q", "outside"},
          {"r-missing", "m", "missing"}
        }) {
      client
          .resource(
              RepositoryFixtures.repository(namespace, repo[0], repo[1], repo[2], "admin", "tls"))
          .create();
    }

    try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"))) {
      String key = "Secret " + namespace + "/%s, key 'path': ";
      assertThat(
              awaitReason(
                      client, namespace, "r-dot-dot", "RepositoryReady", "InvalidSecret", SETTLE)
                  .getMessage())
          .contains(String.format(key, "dot-dot") + "must not contain '..'")
          .contains("under " + allowed);
      assertThat(
              awaitReason(
                      client, namespace, "r-outside", "RepositoryReady", "InvalidSecret", SETTLE)
                  .getMessage())
          .contains(String.format(key, "outside") + "is outside the directories")
          .contains("(" + allowed + ")")
          .contains("--filesystem-roots");
      Condition notFound =
          awaitReason(
              client, namespace, "r-missing", "RepositoryReady", "FilesystemPathNotFound", SETTLE);
      assertThat(notFound.getStatus()).isEqualTo("False");
      assertThat(notFound.getMessage())
          .contains(missing + " does not exist")
          .contains("mount the volume");
      assertThat(Files.exists(missing)).as("never created by the operator").isFalse();

      // Once the directory is there, the next recheck creates the repository in it.
      Files.createDirectories(missing);
      E2eSupport.awaitCondition(
          client, namespace, "r-missing", "RepositoryReady", "True", Duration.ofSeconds(90));
      assertThat(missing.resolve("kopia.repository.f")).exists();
    }
    assertThat(Files.exists(Path.of("/etc/kopia.repository.f"))).isEqualTo(etcHadRepository);
    assertThat(Files.exists(Path.of("/etc/kopia.blobcfg.f")) && !etcHadRepository).isFalse();
  }

  /**
   * The first finding, with the schema's bound taken away: a Repository whose keepLatest
   * overflows the Java field no longer blinds the operator. It gets a DecodeFailed Event, and a
   * Repository created after it is still reconciled.
   */
  @Test
  void anUndecodableRepositoryDoesNotBlindTheOperator(TestNamespace ns, KopiaSandbox sandbox)
      throws Exception {
    KubernetesClient client = ns.client();
    String namespace = ns.name();
    CustomResourceDefinition unbounded = RepositoryCrd.load();
    unbounded
        .getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec")
        .getProperties()
        .get("policy")
        .getProperties()
        .get("keepLatest")
        .setMaximum(null);
    CustomResourceDefinitions.install(client, unbounded);
    try {
      GenericKubernetesResource bad =
          client
              .genericKubernetesResources(
                  ResourceDefinitionContext.fromResourceType(Repository.class))
              .inNamespace(namespace)
              .resource(
                  Serialization.unmarshal(
                      Serialization.asJson(
                              RepositoryFixtures.repository(
                                  namespace, "r-overflow", "o", "absent", "admin", "tls"))
                          .replace("\"keepLatest\":10", "\"keepLatest\":1000000000000"),
                      GenericKubernetesResource.class))
              .create();
      OperatorOptions options =
          LocalOperator.options(
              namespace, sandbox.binary(), sandbox.newDir("work"), Duration.ofSeconds(30));
      try (LocalOperator operator = LocalOperator.start(client, options, sandbox.newDir("local"))) {
        client
            .resource(
                RepositoryFixtures.repository(namespace, "r-after", "a", "absent", "admin", "tls"))
            .create();
        awaitReason(client, namespace, "r-after", "RepositoryReady", "SecretNotFound", SETTLE);
        Event decodeFailed =
            org.awaitility.Awaitility.await()
                .atMost(SETTLE)
                .until(
                    () ->
                        client.v1().events().inNamespace(namespace).list().getItems().stream()
                            .filter(e -> "DecodeFailed".equals(e.getReason()))
                            .findFirst()
                            .orElse(null),
                    e -> e != null);
        assertThat(decodeFailed.getInvolvedObject().getName()).isEqualTo("r-overflow");
        assertThat(decodeFailed.getMessage())
            .contains("field spec.policy.keepLatest")
            .doesNotContain("1000000000000");
        assertThat(operator.operator().runtime().isReady()).isTrue();
      }
      client.resource(bad).delete();
    } finally {
      LocalOperator.installCrd(client);
    }
  }

  private void assertNowhere(KubernetesClient client, String namespace, String value) {
    for (Condition condition :
        E2eSupport.get(client, namespace, "nul-repo").getStatus().getConditions()) {
      assertThat(condition.getMessage()).as(condition.getType()).doesNotContain(value);
    }
    List<Event> events = client.v1().events().inNamespace(namespace).list().getItems();
    assertThat(events).isNotEmpty();
    for (Event event : events) {
      assertThat(event.getMessage()).doesNotContain(value);
    }
    root.detachAppender(log);
    List<ILoggingEvent> lines = List.copyOf(log.list);
    assertThat(lines).isNotEmpty();
    for (ILoggingEvent line : lines) {
      StringBuilder text = new StringBuilder(line.getFormattedMessage());
      for (IThrowableProxy cause = line.getThrowableProxy();
          cause != null;
          cause = cause.getCause()) {
        text.append('\n').append(cause.getMessage());
      }
      assertThat(text.toString()).as(line.getLoggerName()).doesNotContain(value);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
