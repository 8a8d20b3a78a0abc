package io.kanister.kopia.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kanister.kopia.testsupport.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart under deploy/helm with the real helm binary: it lints, renders least privilege by
 * default, and the plain manifests in deploy/ are exactly what scripts/generate-manifests.sh makes
 * of it.
 */
class HelmChartIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void chartLintsStrictly() {
    Helm helm = Helm.require();
    String lint = helm.run(List.of("lint", "--strict", Helm.CHART.toString()));
    assertThat(lint).contains("1 chart(s) linted, 0 chart(s) failed");
    helm.run(
        List.of(
            "lint",
            "--strict",
            Helm.CHART.toString(),
            "--set",
            "scope=global,targetNamespaces={a,b},rbac.clusterWideTokens=true"));
  }

  @Test
  void tokensAndExecAreBoundOnlyInTheTargetNamespacesByDefault() {
    List<HasMetadata> objects = renderIn("backup", "--set", "targetNamespaces={apps,databases}");
    assertThat(objects)
        .filteredOn(o -> o instanceof ClusterRoleBinding)
        .extracting(o -> o.getMetadata().getName())
        .containsExactly("kopia-operator-workloads");
    assertThat(objects)
        .filteredOn(o -> o instanceof RoleBinding)
        .extracting(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "backup/kopia-operator",
            "apps/kopia-operator-tokens",
            "databases/kopia-operator-tokens",
            "apps/kopia-operator-client-export",
            "databases/kopia-operator-client-export");
    assertThat(objects)
        .filteredOn(o -> o instanceof RoleBinding)
        .allSatisfy(
            o ->
                assertThat(((RoleBinding) o).getSubjects())
                    .singleElement()
                    .satisfies(s -> assertThat(s.getNamespace()).isEqualTo("backup")));
    // Without target namespaces, neither right is bound anywhere.
    assertThat(render())
        .filteredOn(o -> o instanceof RoleBinding || o instanceof ClusterRoleBinding)
        .extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder("kopia-operator", "kopia-operator-workloads");
  }

  @Test
  void clusterWideRightsAreAnOptIn() {
    List<HasMetadata> objects =
        render("--set", "rbac.clusterWideTokens=true,rbac.clusterWideExec=true");
    assertThat(objects)
        .filteredOn(o -> o instanceof ClusterRoleBinding)
        .extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "kopia-operator-workloads", "kopia-operator-tokens", "kopia-operator-client-export");
  }

  @Test
  void workloadsRoleCoversEveryCallTheReconcilerMakesOnWorkloads() {
    ClusterRole workloads =
        render().stream()
            .filter(o -> o instanceof ClusterRole)
            .map(ClusterRole.class::cast)
            .filter(r -> r.getMetadata().getName().equals("kopia-operator-workloads"))
            .findFirst()
            .orElseThrow();
    // Informers list+watch; LabelledWorkloads lists; WorkloadReexport gets each workload.
    assertThat(workloads.getRules())
        .singleElement()
        .satisfies(
            rule -> assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch"));
  }

  @Test
  void namespaceModeWebhookJudgesOnlyItsOwnNamespaceSoTwoInstallsCoexist() {
    assertThat(webhookIn("backup-a").getWebhooks())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", "backup-a")));
    // Global mode serves (and guards) every namespace: no selector.
    assertThat(webhookIn("backup-a", "--set", "scope=global").getWebhooks())
        .singleElement()
        .satisfies(w -> assertThat(w.getNamespaceSelector()).isNull());
  }

  private ValidatingWebhookConfiguration webhookIn(String namespace, String... args) {
    return renderIn(namespace, args).stream()
        .filter(o -> o instanceof ValidatingWebhookConfiguration)
        .map(ValidatingWebhookConfiguration.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void monitoringIsAnOptInWithAValidDashboardAndRules() throws Exception {
    assertThat(render())
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .doesNotContain("PrometheusRule/kopia-operator", "ConfigMap/kopia-operator-dashboard");
    List<HasMetadata> objects =
        render("--set", "metrics.prometheusRule.enabled=true,metrics.dashboard.enabled=true");
    HasMetadata rule =
        objects.stream()
            .filter(o -> o.getKind().equals("PrometheusRule"))
            .findFirst()
            .orElseThrow();
    assertThat(YAML.asYaml(rule)).contains("KopiaRepositoryNotReady", "KopiaServerNotServing");
    var dashboard =
        objects.stream()
            .filter(o -> o.getMetadata().getName().equals("kopia-operator-dashboard"))
            .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(dashboard.getData().get("kopia-operator.json"));
    assertThat(json.get("uid").asText()).isEqualTo("kanister-kopia-operator");
    assertThat(json.get("panels")).hasSizeGreaterThan(5);
  }

  @Test
  void valuesReachTheOperatorDeployment() {
    Deployment deployment =
        render(
                "--set",
                "scope=global,replicas=3,leaderElection.enabled=false,"
                    + "image.repository=registry.example/kko/operator,image.tag=1.2.3,"
                    + "serverImage=registry.example/kko/kopia-server:0.23.1",
                "--set",
                "resources.limits.memory=2Gi",
                "--set",
                "leaderElection.leaseDuration=20s,leaderElection.renewDeadline=15s,"
                    + "leaderElection.retryPeriod=3s,reconcile.passDeadline=30m,"
                    + "reconcile.kopiaConcurrency=32,reconcile.kopiaPerRepository=4,"
                    + "maintenance.workers=2,maintenance.timeout=12h")
            .stream()
            .filter(o -> o instanceof Deployment)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("repo.kanister.io/repo-scope", "global");
    assertThat(container.getImage()).isEqualTo("registry.example/kko/operator:1.2.3");
    assertThat(container.getArgs())
        .contains(
            "--repository-scope=global",
            "--leader-elect=false",
            "--kopia-image=registry.example/kko/kopia-server:0.23.1",
            "--lease-name=kopia-operator-leader",
            "--leader-lease-duration=20s",
            "--leader-renew-deadline=15s",
            "--leader-retry-period=3s",
            "--pass-deadline=30m",
            "--kopia-concurrency=32",
            "--kopia-per-repository=4",
            "--maintenance-workers=2",
            "--maintenance-timeout=12h");
    // Each rendered flag is one the operator's own parser accepts.
    io.kanister.kopia.operator.OperatorOptionsParser.parse(
        container.getArgs().stream().filter(a -> !a.startsWith("--webhook-cert-dir")).toList(),
        Map.of("POD_NAMESPACE", "kopia-operator", "POD_NAME", "kopia-operator-0"));
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp", "/var/lib/kopia-operator");
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getEmptyDir() != null)
        .extracting(v -> v.getName())
        .containsExactlyInAnyOrder("work", "tmp");
    assertThatThrownBy(() -> render("--set", "scope=cluster"))
        .hasMessageContaining("scope must be global or namespace");
  }

  @Test
  void plainManifestsInDeployAreGeneratedFromTheChart(@TempDir Path out) throws Exception {
    Helm helm = Helm.require();
    ProcessBuilder generate =
        new ProcessBuilder(ROOT.resolve("scripts/generate-manifests.sh").toString(), out.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("generate.log").toFile());
    generate.environment().put("HELM_BIN", helm.binary().toString());
    Process process = generate.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(out.resolve("generate.log"))).isZero();

    List<Path> generated;
    try (Stream<Path> files = Files.walk(out)) {
      generated = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(generated).isNotEmpty();
    String kustomization = Files.readString(ROOT.resolve("deploy/kustomization.yaml"));
    for (Path file : generated) {
      Path relative = out.relativize(file);
      assertThat(ROOT.resolve("deploy").resolve(relative))
          .as("deploy/%s: run scripts/generate-manifests.sh", relative)
          .exists()
          .hasContent(Files.readString(file));
      assertThat(kustomization).contains("- " + relative);
    }
    for (String section : List.of("operator", "webhook")) {
      try (Stream<Path> committed = Files.list(ROOT.resolve("deploy").resolve(section))) {
        assertThat(committed.map(p -> section + "/" + p.getFileName()))
            .as("deploy/%s holds only generated files", section)
            .allMatch(p -> Files.exists(out.resolve(p)));
      }
    }
    assertThat(ROOT.resolve("deploy/crd").toFile().list())
        .allSatisfy(
            crd ->
                assertThat(Helm.CHART.resolve("crds").resolve(crd))
                    .as("chart crds/%s: run scripts/generate-manifests.sh", crd)
                    .hasSameBinaryContentAs(ROOT.resolve("deploy/crd").resolve(crd)));
  }

  private static List<HasMetadata> render(String... args) {
    return renderIn("kanister", args);
  }

  /** {@code helm template} into {@code namespace}, one object per YAML document. */
  private static List<HasMetadata> renderIn(String namespace, String... args) {
    String yaml = Helm.require().template("kopia-operator", namespace, args);
    return Arrays.stream(yaml.split("(?m)^---$"))
        .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
        .map(document -> (HasMetadata) YAML.unmarshal(document))
        .toList();
  }
}
