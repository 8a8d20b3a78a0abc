package io.kanister.kopia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.kanister.kopia.testsupport.Helm;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.kube.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The chart installed on the real node with the real helm, the way docs/deploy.md tells users to:
 * the locally built operator image, the server image as {@code --kopia-image}, the webhook
 * certificate from a Secret we provide (no cert-manager here), one replica with leader election.
 */
final class ChartInstall implements AutoCloseable {
  private static final Pattern HTTP_403 = Pattern.compile("\\b403\\b");
  private final LocalCluster cluster;
  private final String namespace;
  private final String name;
  private final Path kubeconfig;
  private final String ownedTarget;

  private ChartInstall(
      LocalCluster cluster, String namespace, String name, Path kubeconfig, String ownedTarget) {
    this.cluster = cluster;
    this.namespace = namespace;
    this.name = name;
    this.kubeconfig = kubeconfig;
    this.ownedTarget = ownedTarget;
  }

  /**
   * A namespace-scope install serving one new target namespace, {@code <namespace>-apps}: created
   * here (and its default ServiceAccount awaited, which workloads need), then the chart with {@code
   * extraArgs}. {@link #close} deletes the target namespace too.
   */
  static ChartInstall withNewTarget(
      LocalCluster cluster, String namespace, Path dir, List<String> extraArgs) throws Exception {
    String target = namespace + "-apps";
    KubernetesClient admin = cluster.client();
    E2eSupport.createNamespace(admin, target);
    try {
      admin
          .serviceAccounts()
          .inNamespace(target)
          .withName("default")
          .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
      ChartInstall chart =
          install(cluster, namespace, "namespace", List.of(target), dir, extraArgs);
      return new ChartInstall(cluster, namespace, chart.name, chart.kubeconfig, target);
    } catch (Exception | AssertionError e) {
      admin.namespaces().withName(target).delete();
      throw e;
    }
  }

  /** The target namespace {@link #withNewTarget} created. */
  String target() {
    return java.util.Objects.requireNonNull(ownedTarget, "not installed with a new target");
  }

  /**
   * {@code helm install} into {@code namespace}, then waits for the operator pod to be Ready and
   * prints the time. Cluster-scoped names carry {@code name}, so installs never collide.
   */
  static ChartInstall install(
      LocalCluster cluster, String namespace, String scope, List<String> targets, Path dir)
      throws Exception {
    return install(cluster, namespace, scope, targets, dir, List.of());
  }

  /** As above, with more {@code helm install} arguments (e.g. {@code --set-json} of a value). */
  static ChartInstall install(
      LocalCluster cluster,
      String namespace,
      String scope,
      List<String> targets,
      Path dir,
      List<String> extraArgs)
      throws Exception {
    KubernetesClient admin = cluster.client();
    String name = "kko-" + namespace.substring(Math.max(0, namespace.length() - 20));
    // The webhook's serving certificate, for the Service name the API server calls.
    TestPki pki = cluster.controlPlane().pki();
    TestPki.Issued serving =
        pki.issueServer(
            name + "-webhook",
            List.of(name + "-webhook." + namespace + ".svc", name + "-webhook." + namespace),
            List.of());
    RepositoryFixtures.create(
        admin,
        RepositoryFixtures.secret(
            namespace,
            "kopia-operator-webhook-tls",
            "kubernetes.io/tls",
            Map.of("tls.crt", serving.certPem(), "tls.key", serving.keyPem())));
    Path kubeconfig = cluster.controlPlane().writeKubeconfig(dir.resolve("kubeconfig"));
    String operatorImage = cluster.images().require("/operator:");
    String serverImage = cluster.images().require("/kopia-server:");
    List<String> args =
        new ArrayList<>(
            List.of(
                "install",
                name,
                Helm.CHART.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespace",
                namespace,
                "--set",
                "fullnameOverride=" + name,
                "--set",
                "scope=" + scope,
                "--set",
                "image.repository=" + operatorImage.substring(0, operatorImage.lastIndexOf(':')),
                "--set",
                "image.tag=" + operatorImage.substring(operatorImage.lastIndexOf(':') + 1),
                "--set",
                "image.pullPolicy=Never",
                "--set",
                "serverImage=" + serverImage,
                "--set",
                "replicas=1",
                "--set",
                "resources.requests.memory=256Mi",
                "--set",
                "resources.limits.memory=768Mi",
                "--set",
                "resources.requests.cpu=100m",
                "--set",
                "webhook.certManager.enabled=false",
                "--set",
                "webhook.caBundle="
                    + Base64.getEncoder()
                        .encodeToString(pki.caPem().getBytes(StandardCharsets.UTF_8)),
                "--set-json",
                "targetNamespaces=["
                    + String.join(",", targets.stream().map(t -> '"' + t + '"').toList())
                    + "]"));
    args.addAll(extraArgs);
    long started = System.nanoTime();
    String out = Helm.require().run(args);
    assertThat(out).contains("STATUS: deployed");
    ChartInstall install = new ChartInstall(cluster, namespace, name, kubeconfig, null);
    Pod pod =
        admin
            .pods()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/name", "kopia-operator")
            .informOnCondition(
                pods -> pods.stream().anyMatch(p -> p != null && Readiness.isPodReady(p)))
            .get(300, TimeUnit.SECONDS)
            .stream()
            .filter(Readiness::isPodReady)
            .findFirst()
            .orElseThrow();
    System.out.printf(
        "[figures] chart %s (scope %s): helm install to operator pod Ready %.1fs%n",
        name, scope, (System.nanoTime() - started) / 1e9);
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(name);
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .containsKey("memory");
    return install;
  }

  String name() {
    return name;
  }

  /** The running operator pods (one replica). */
  List<Pod> operatorPods() {
    return cluster
        .client()
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/name", "kopia-operator")
        .list()
        .getItems();
  }

  String operatorPod() {
    return operatorPods().stream()
        .filter(Readiness::isPodReady)
        .findFirst()
        .orElseThrow()
        .getMetadata()
        .getName();
  }

  /** The operator pod's {@code /metrics}, through a port-forward to its health port. */
  String scrapeMetrics() throws Exception {
    try (var forward =
        cluster
            .client()
            .pods()
            .inNamespace(namespace)
            .withName(operatorPod())
            .portForward(8081, java.net.InetAddress.getLoopbackAddress(), 0)) {
      var http = java.net.http.HttpClient.newHttpClient();
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/metrics"))
              .timeout(java.time.Duration.ofSeconds(20))
              .build();
      return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  /** What the API server decides for the operator's ServiceAccount (a SubjectAccessReview). */
  boolean operatorMay(String verb, String resource, String subresource, String inNamespace) {
    return serviceAccountMay(namespace, name, verb, resource, subresource, "", inNamespace);
  }

  /** What the API server decides for a ServiceAccount, for one named object. */
  boolean serviceAccountMay(
      String saNamespace,
      String sa,
      String verb,
      String resource,
      String subresource,
      String objectName,
      String inNamespace) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser("system:serviceaccount:" + saNamespace + ":" + sa)
            .withGroups("system:serviceaccounts", "system:serviceaccounts:" + saNamespace)
            .withNewResourceAttributes()
            .withVerb(verb)
            .withResource(resource)
            .withSubresource(subresource)
            .withName(objectName)
            .withGroup(resource.equals("repositories") ? "cr.kanister.io" : "")
            .withNamespace(inNamespace)
            .endResourceAttributes()
            .endSpec()
            .build();
    return cluster
        .client()
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }

  /**
   * The log of every operator container, current and previous, through the API server's pod log
   * endpoint; asserts it has no 403 and none of {@code secretValues}.
   */
  String assertLogsClean(List<String> secretValues) {
    StringBuilder all = new StringBuilder();
    for (Pod pod : operatorPods()) {
      var resource =
          cluster.client().pods().inNamespace(namespace).withName(pod.getMetadata().getName());
      all.append(resource.getLog());
      int restarts = pod.getStatus().getContainerStatuses().get(0).getRestartCount();
      if (restarts > 0) {
        all.append(resource.terminated().getLog());
      }
    }
    String log = all.toString();
    System.out.printf(
        "[figures] operator %s log: %d lines checked for 403 and %d secret values%n",
        name, log.lines().count(), secretValues.size());
    // Each line starts with a timestamp whose milliseconds may read 403: look past it, and for
    // 403 as a whole number only (an HTTP status), not inside hashes or pod names.
    assertThat(log).isNotBlank().doesNotContainIgnoringCase("forbidden");
    assertThat(log.lines().map(line -> line.replaceFirst("^\\S+\\s", "")))
        .noneMatch(line -> HTTP_403.matcher(line).find());
    for (String secret : secretValues) {
      assertThat(log.contains(secret)).as("a secret value of length %d", secret.length()).isFalse();
    }
    return log;
  }

  /**
   * {@code helm uninstall}: removes the webhook configuration too, so that the next install in this
   * cluster is not judged by this one's webhook (a global install's judges every namespace). Then
   * deletes the target namespace {@link #withNewTarget} created.
   */
  @Override
  public void close() throws Exception {
    try {
      Helm.require()
          .run(
              List.of(
                  "uninstall",
                  name,
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--namespace",
                  namespace));
      Files.deleteIfExists(kubeconfig);
    } finally {
      if (ownedTarget != null) {
        cluster.client().namespaces().withName(ownedTarget).delete();
      }
    }
  }
}
