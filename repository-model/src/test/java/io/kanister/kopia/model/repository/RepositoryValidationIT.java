package io.kanister.kopia.model.repository;

import static io.kanister.kopia.model.repository.RepositoryManifests.REPOSITORIES;
import static io.kanister.kopia.model.repository.RepositoryManifests.generic;
import static io.kanister.kopia.model.repository.RepositoryManifests.seedLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real API server accepts the seed's Repository and refuses broken ones, naming the field. */
@RealKubernetes
class RepositoryValidationIT {
  @BeforeAll
  static void installCrd(LocalControlPlane cluster) {
    RepositoryCrdInstaller.install(cluster.adminClient());
  }

  @Test
  void acceptsTheSeedRepository(TestNamespace ns) {
    Repository created =
        ns.client()
            .resources(Repository.class)
            .inNamespace(ns.name())
            .resource(toRepository(seedLike("repository-monitoring")))
            .create();

    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getSpec().getTargetNamespace()).isEqualTo("monitoring");
    assertThat(created.getSpec().getPolicy().getSnapshotTime())
        .containsExactly("00:00", "06:00", "18:00");
    assertThat(created.getSpec().getServer().getAccessSecretNames())
        .containsExactly("repository-monitoring-server-access");
  }

  static Stream<Arguments> invalidRepositories() {
    return Stream.of(
        invalid("no spec", tree -> tree.remove("spec"), "spec", "Required value"),
        invalidSpec("no location", spec -> spec.remove("location"), "spec.location", "Required"),
        invalidSpec(
            "no location secret name",
            spec -> spec.putObject("location"),
            "spec.location.secretName",
            "Required value"),
        invalidSpec(
            "location secret name not a Kubernetes name",
            spec -> spec.putObject("location").put("secretName", "Repository_Location"),
            "spec.location.secretName",
            "should match"),
        invalidSpec(
            "target namespace not a namespace name",
            spec -> spec.put("targetNamespace", "Monitoring"),
            "spec.targetNamespace",
            "should match"),
        invalidPolicy(
            "negative keepDaily",
            policy -> policy.put("keepDaily", -1),
            "spec.policy.keepDaily",
            "greater than or equal to 0"),
        invalidPolicy(
            // The value that used to stop the operator's Repository informer.
            "keepLatest beyond int32",
            policy -> policy.put("keepLatest", 1_000_000_000_000L),
            "spec.policy.keepLatest",
            "less than or equal to 2147483647"),
        invalidPolicy(
            "maxParallelFileReads one past int32",
            policy -> policy.put("maxParallelFileReads", 2_147_483_648L),
            "spec.policy.maxParallelFileReads",
            "less than or equal to"),
        invalidPolicy(
            "maxFileSize one past Long",
            policy -> policy.put("maxFileSize", new java.math.BigInteger("9223372036854775808")),
            "spec.policy.maxFileSize",
            "less than or equal to"),
        invalidPolicy(
            // The float64 bound cannot tell Long's maximum from 2^63.
            "maxFileSize at Long max",
            policy -> policy.put("maxFileSize", Long.MAX_VALUE),
            "spec.policy.maxFileSize",
            "less than or equal to"),
        invalidSpec(
            "targeted keepDaily beyond int32",
            spec ->
                addTargetedPolicy(
                    spec, "mysql@monitoring.mysql", p -> p.put("keepDaily", 1L << 40)),
            "spec.policies[0].policy.keepDaily",
            "less than or equal to"),
        invalidPolicy(
            "unknown compression",
            policy -> policy.put("compression", "brotli"),
            "spec.policy.compression",
            "Unsupported value: \"brotli\""),
        invalidPolicy(
            "snapshot time not HH:MM",
            policy -> policy.putArray("snapshotTime").add("00:00").add("25:00"),
            "spec.policy.snapshotTime[1]",
            "should match"),
        invalidPolicy(
            "snapshot interval not a duration",
            policy -> policy.put("snapshotInterval", "6 hours"),
            "spec.policy.snapshotInterval",
            "should match"),
        invalidPolicy(
            "zero snapshot interval",
            policy -> policy.put("snapshotInterval", "0h"),
            "spec.policy.snapshotInterval",
            "must be at least 1s"),
        invalidPolicy(
            "manual with scheduling",
            policy -> policy.put("manual", true),
            "spec.policy.manual",
            "manual cannot be combined"),
        invalidPolicy(
            "logging level above 10",
            policy -> policy.put("logDirSnapshotted", 11),
            "spec.policy.logDirSnapshotted",
            "less than or equal to 10"),
        invalidPolicy(
            "compression min size above max size",
            policy -> policy.put("compressionMinSize", 4096).put("compressionMaxSize", 1024),
            "spec.policy.compressionMinSize",
            "must not be greater than compressionMaxSize"),
        invalidPolicy(
            "dot-ignore file given as a path",
            policy -> policy.putArray("addDotIgnore").add("conf/.kopiaignore"),
            "spec.policy.addDotIgnore[0]",
            "should match"),
        invalidSpec(
            "policy target not a Kopia target",
            spec -> addTargetedPolicy(spec, "(global)", p -> p.put("keepLatest", 1)),
            "spec.policies[0].target",
            "should match"),
        invalidSpec(
            "two policies for one target",
            spec -> {
              addTargetedPolicy(spec, "mysql@monitoring.mysql", p -> p.put("keepLatest", 1));
              addTargetedPolicy(spec, "mysql@monitoring.mysql", p -> p.put("keepDaily", 1));
            },
            "spec.policies",
            "each target may appear only once"),
        invalidSpec(
            "max parallel snapshots on a path target",
            spec ->
                addTargetedPolicy(
                    spec, "mysql@monitoring.mysql:/data", p -> p.put("maxParallelSnapshots", 2)),
            "spec.policies[0].policy.maxParallelSnapshots",
            "Kopia rejects it on a path target"),
        invalidSpec(
            "an access Secret listed twice",
            spec ->
                ((ObjectNode) spec.get("server"))
                    .putArray("accessSecretNames")
                    .add("access")
                    .add("access"),
            "spec.server.accessSecretNames",
            "listed only once"));
  }

  @Test
  void acceptsTheLargestBoundedValuesAndReadsThemBack(TestNamespace ns) {
    ObjectNode manifest = seedLike("largest-values");
    ((ObjectNode) manifest.get("spec").get("policy"))
        .put("keepLatest", Integer.MAX_VALUE)
        .put("maxParallelFileReads", Integer.MAX_VALUE)
        .put("maxFileSize", 1L << 62)
        .put("compressionMaxSize", 1L << 62);

    Repository created =
        ns.client()
            .resources(Repository.class)
            .inNamespace(ns.name())
            .resource(toRepository(manifest))
            .create();

    assertThat(created.getSpec().getPolicy().getKeepLatest()).isEqualTo(Integer.MAX_VALUE);
    assertThat(created.getSpec().getPolicy().getMaxFileSize()).isEqualTo(1L << 62);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRepositories")
  void refusesAnInvalidRepository(
      String name, ObjectNode manifest, List<String> expected, TestNamespace ns) {
    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                ns.client()
                    .genericKubernetesResources(REPOSITORIES)
                    .inNamespace(ns.name())
                    .resource(generic(manifest))
                    .create());

    assertThat(refused).as("%s must be refused", name).isNotNull();
    assertThat(refused.getCode()).isEqualTo(422);
    String message = refused.getStatus().getMessage();
    System.out.printf("refused (%s): %s%n", name, message);
    assertThat(message).contains(expected);
  }

  @Test
  void refusesChangingTheTargetNamespace(TestNamespace ns) {
    createSeedLike(ns, "changed-target");

    String message =
        refusedUpdate(ns, "changed-target", spec -> spec.put("targetNamespace", "payments"));

    assertThat(message).contains("spec.targetNamespace", "immutable");
  }

  @Test
  void refusesRemovingTheTargetNamespace(TestNamespace ns) {
    createSeedLike(ns, "removed-target");

    String message = refusedUpdate(ns, "removed-target", spec -> spec.remove("targetNamespace"));

    assertThat(message).contains("spec.targetNamespace", "immutable");
  }

  @Test
  void refusesAddingATargetNamespaceToAGlobalRepository(TestNamespace ns) {
    ns.client()
        .genericKubernetesResources(REPOSITORIES)
        .inNamespace(ns.name())
        .resource(generic(seedLike("global", spec -> spec.remove("targetNamespace"))))
        .create();

    String message = refusedUpdate(ns, "global", spec -> spec.put("targetNamespace", "payments"));

    assertThat(message).contains("spec.targetNamespace", "immutable");
  }

  @Test
  void acceptsOtherSpecChangesAndKeepsTheTargetNamespace(TestNamespace ns) {
    createSeedLike(ns, "policy-change");

    ObjectNode changed = current(ns, "policy-change");
    ((ObjectNode) changed.get("spec").get("policy")).put("keepDaily", 30);
    var updated =
        ns.client()
            .genericKubernetesResources(REPOSITORIES)
            .inNamespace(ns.name())
            .resource(generic(changed))
            .update();

    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
  }

  private static void createSeedLike(TestNamespace ns, String name) {
    ns.client()
        .genericKubernetesResources(REPOSITORIES)
        .inNamespace(ns.name())
        .resource(generic(seedLike(name)))
        .create();
  }

  private static ObjectNode current(TestNamespace ns, String name) {
    var resource =
        ns.client()
            .genericKubernetesResources(REPOSITORIES)
            .inNamespace(ns.name())
            .withName(name)
            .get();
    return Serialization.jsonMapper().convertValue(resource, ObjectNode.class);
  }

  private static String refusedUpdate(TestNamespace ns, String name, Consumer<ObjectNode> edit) {
    ObjectNode changed = current(ns, name);
    edit.accept((ObjectNode) changed.get("spec"));
    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                ns.client()
                    .genericKubernetesResources(REPOSITORIES)
                    .inNamespace(ns.name())
                    .resource(generic(changed))
                    .update());
    assertThat(refused).as("the update of %s must be refused", name).isNotNull();
    assertThat(refused.getCode()).isEqualTo(422);
    String message = refused.getStatus().getMessage();
    System.out.printf("refused update (%s): %s%n", name, message);
    return message;
  }

  private static Repository toRepository(ObjectNode tree) {
    return Serialization.jsonMapper().convertValue(tree, Repository.class);
  }

  private static void addTargetedPolicy(
      ObjectNode spec, String target, Consumer<ObjectNode> policy) {
    ArrayNode policies =
        spec.has("policies") ? (ArrayNode) spec.get("policies") : spec.putArray("policies");
    ObjectNode entry = policies.addObject();
    entry.put("target", target);
    policy.accept(entry.putObject("policy"));
  }

  private static Arguments invalid(
      String name, Consumer<ObjectNode> editManifest, String... expected) {
    ObjectNode manifest = seedLike(slug(name));
    editManifest.accept(manifest);
    return Arguments.of(name, manifest, List.of(expected));
  }

  private static Arguments invalidSpec(
      String name, Consumer<ObjectNode> editSpec, String... expected) {
    return Arguments.of(name, seedLike(slug(name), editSpec), List.of(expected));
  }

  private static Arguments invalidPolicy(
      String name, Consumer<ObjectNode> editPolicy, String... expected) {
    return invalidSpec(name, spec -> editPolicy.accept((ObjectNode) spec.get("policy")), expected);
  }

  private static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
