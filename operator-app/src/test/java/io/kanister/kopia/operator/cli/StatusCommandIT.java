package io.kanister.kopia.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kanister.controller.status.StatusWriter;
import io.kanister.kopia.model.repository.FailedUser;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.MaintenanceRunStatus;
import io.kanister.kopia.model.repository.MaintenanceStatus;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.repository.ServerStatus;
import io.kanister.kopia.model.repository.UsersStatus;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.model.status.Conditions;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code status} against a real API server, with Repositories whose status is written through the
 * status subresource the way the operator writes it (StatusWriter, Conditions.set).
 */
@RealKubernetes
class StatusCommandIT {
  private static final String FINGERPRINT = "ab".repeat(32);
  private static final String LONG_MESSAGE =
      "Secret monitoring-location not found in namespace kanister; create it with the keys"
          + " type, path and password, then the operator retries on its own";

  record Run(int code, String out, String err) {}

  @Test
  void tableShowsEveryRepositoryAndExitsOneWhenOneIsNotReady(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    ready(client, ns.name(), "repository-ready", "monitoring");
    broken(client, ns.name(), "repository-broken", "billing");
    degraded(client, ns.name(), "repository-degraded", "shop");

    Run run = status(client, "-n", ns.name());

    System.out.println(run.out());
    assertThat(run.code()).isEqualTo(ExitCode.NOT_READY);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly(
            "NAMESPACE",
            "NAME",
            "TARGET",
            "READY",
            "SERVER",
            "USERS",
            "MAINTENANCE",
            "AGE",
            "LAST ERROR");
    // Sorted by name: broken, degraded, ready.
    assertThat(lines.get(1))
        .contains(ns.name(), "repository-broken", "billing", "False", "WaitingForRepository")
        .contains("SecretNotFound: Secret monitoring-location not found");
    String error = lines.get(1).substring(lines.get(0).indexOf("LAST ERROR"));
    assertThat(error).hasSizeLessThanOrEqualTo(RepositoryState.MAX_ERROR).endsWith("...");
    assertThat(lines.get(2))
        .contains("repository-degraded", "shop", "True", "Serving", "1/2 (1 failed)");
    assertThat(lines.get(3))
        .contains("repository-ready", "monitoring", "True", "Serving", "2/2")
        .contains("Succeeded (full 2026-11-30T03:00:41Z)");
    assertThat(lines.get(3).split("\\s{2,}")).hasSize(9).endsWith("-");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void exitCodesForReadyDegradedEmptyUsageAndNotFound(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    Run empty = status(client, "--namespace=" + ns.name());
    assertThat(empty.code()).isEqualTo(ExitCode.READY);
    assertThat(empty.out()).isEmpty();
    assertThat(empty.err()).contains("No Repositories found in namespace " + ns.name());

    ready(client, ns.name(), "repository-ready", "monitoring");
    assertThat(status(client, "-n", ns.name()).code()).isEqualTo(ExitCode.READY);
    assertThat(status(client, "-n", ns.name(), "repository-ready").code())
        .isEqualTo(ExitCode.READY);

    degraded(client, ns.name(), "repository-degraded", "shop");
    assertThat(status(client, "-n", ns.name()).code()).isEqualTo(ExitCode.DEGRADED);
    assertThat(status(client, "-n", ns.name(), "repository-degraded").code())
        .isEqualTo(ExitCode.DEGRADED);

    Run missing = status(client, "-n", ns.name(), "repository-nope");
    assertThat(missing.code()).isEqualTo(ExitCode.API_ERROR);
    assertThat(missing.err())
        .contains("Repository " + ns.name() + "/repository-nope not found")
        .contains("kopia-operator status -n " + ns.name());

    for (List<String> bad :
        List.of(
            List.of("--bogus=secret-value"),
            List.of("-A", "repository-ready"),
            List.of("-n", ns.name(), "-A"),
            List.of("-o", "yaml"),
            List.of("a", "b"),
            List.of("-n"))) {
      Run usage = status(client, bad.toArray(String[]::new));
      assertThat(usage.code()).as("%s", bad).isEqualTo(ExitCode.USAGE);
      assertThat(usage.err()).as("%s", bad).contains("see --help").doesNotContain("secret-value");
      assertThat(usage.out()).isEmpty();
    }
    Run help = status(client, "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Exit codes", "--all-namespaces");
  }

  @Test
  void aStaleStatusIsNotReady(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    ready(client, ns.name(), "repository-ready", "monitoring");
    // A spec edit the operator has not seen yet: generation moves past observedGeneration.
    client
        .resources(Repository.class)
        .inNamespace(ns.name())
        .withName("repository-ready")
        .edit(
            r -> {
              r.getSpec().setLocation(new LocationSpec("location-2"));
              return r;
            });
    Run run = status(client, "-n", ns.name());
    assertThat(run.code()).isEqualTo(ExitCode.NOT_READY);
    assertThat(run.out()).contains("True(stale)");
    Run detail = status(client, "-n", ns.name(), "repository-ready");
    assertThat(detail.out()).contains("Ready:        no (the status describes an older generation");
  }

  @Test
  void detailShowsConditionsServerUsersAndMaintenance(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    degraded(client, ns.name(), "repository-degraded", "shop");

    Run run = status(client, "-n", ns.name(), "repository-degraded");

    System.out.println(run.out());
    assertThat(run.code()).isEqualTo(ExitCode.DEGRADED);
    assertThat(run.out())
        .contains("Repository:   " + ns.name() + "/repository-degraded")
        .contains("Target:       shop")
        .contains("Ready:        yes (degraded")
        .contains("RepositoryReady=True  reason=Connected  since=2026-")
        .contains("ServerReady=True  reason=Serving")
        .contains("UsersReady=False  reason=SomeUsersFailed")
        .contains("    1 of 2 users failed; see status.users.failed")
        .contains("URL:          https://repo-shop." + ns.name() + ".svc:51515")
        .contains("Fingerprint:  " + FINGERPRINT)
        .contains("Registered:   1", "Desired:      2", "Failed:       1")
        .contains("mysql@shop.mysql  InvalidAccessSecret: key password is empty")
        .contains("Owner:        repository-degraded@kanister-maintenance")
        .contains("Last quick:   Succeeded  start=2026-11-30T10:00:00Z  end=2026-11-30T10:00:02Z")
        .contains("Last full:    Failed  start=2026-11-30T03:00:00Z  end=2026-11-30T03:00:41Z")
        .contains("(blob gc: storage timeout)")
        .contains("Next full:    2026-12-01T03:00:00Z");
  }

  @Test
  void jsonForTheListAndForOne(TestNamespace ns) throws Exception {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    ready(client, ns.name(), "repository-ready", "monitoring");
    broken(client, ns.name(), "repository-broken", "billing");
    ObjectMapper json = new ObjectMapper();

    Run list = status(client, "-n", ns.name(), "-o", "json");
    assertThat(list.code()).isEqualTo(ExitCode.NOT_READY);
    JsonNode items = json.readTree(list.out()).get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("name").asText()).isEqualTo("repository-broken");
    assertThat(items.get(0).get("namespace").asText()).isEqualTo(ns.name());
    assertThat(items.get(0).get("ready").asBoolean()).isFalse();
    assertThat(items.get(0).get("exitCode").asInt()).isEqualTo(ExitCode.NOT_READY);
    assertThat(items.get(0).at("/status/conditions/0/message").asText()).isEqualTo(LONG_MESSAGE);
    assertThat(items.get(1).get("ready").asBoolean()).isTrue();
    assertThat(items.get(1).has("spec")).isFalse();

    Run one = status(client, "-n", ns.name(), "repository-ready", "--output=json");
    assertThat(one.code()).isEqualTo(ExitCode.READY);
    JsonNode node = json.readTree(one.out());
    assertThat(node.get("name").asText()).isEqualTo("repository-ready");
    assertThat(node.at("/status/server/certificateFingerprint").asText()).isEqualTo(FINGERPRINT);
    assertThat(node.at("/status/users/summary").asText()).isEqualTo("2/2");
    assertThat(node.at("/status/maintenance/lastFull/result").asText()).isEqualTo("Succeeded");

    Run empty = status(client, "-n", ns.name() + "-none", "-o", "json");
    assertThat(json.readTree(empty.out()).get("items")).isEmpty();
    assertThat(empty.code()).isEqualTo(ExitCode.READY);
  }

  @Test
  void defaultNamespaceIsTheContextsAndAllNamespacesListsEveryOne(TestNamespace ns)
      throws Exception {
    KubernetesClient admin = ns.client();
    RepositoryCrdInstall.shipped(admin);
    ready(admin, ns.name(), "repository-ready", "monitoring");
    try (KubernetesClient inContext =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(admin.getConfiguration()).withNamespace(ns.name()).build())
            .build()) {
      Run run = status(inContext);
      assertThat(run.code()).isEqualTo(ExitCode.READY);
      assertThat(run.out()).containsPattern(rowOf(ns.name(), "repository-ready"));
    }
    try (KubernetesClient noContext =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(admin.getConfiguration()).withNamespace(null).build())
            .build()) {
      Run run = status(noContext);
      assertThat(run.err()).contains("No Repositories found in namespace kanister");
    }
    Run all = status(admin, "-A");
    // Column widths follow the longest namespace in the cluster, which other classes share.
    assertThat(all.out()).containsPattern(rowOf(ns.name(), "repository-ready"));
  }

  @Test
  void rbacRefusalAndAnUnreachableServerExitThree(TestNamespace ns) throws Exception {
    RepositoryCrdInstall.shipped(ns.client());
    try (KubernetesClient nobody = ns.cluster().clientAs("nobody", "no-group")) {
      Run list = status(nobody, "-n", ns.name());
      assertThat(list.code()).isEqualTo(ExitCode.API_ERROR);
      assertThat(list.err())
          .contains("Repositories in namespace " + ns.name())
          .contains("forbidden (HTTP 403)")
          .contains("kubectl auth can-i list repositories.cr.kanister.io");
      Run one = status(nobody, "-n", ns.name(), "repository-x");
      assertThat(one.code()).isEqualTo(ExitCode.API_ERROR);
      assertThat(one.err()).contains("Repository " + ns.name() + "/repository-x", "HTTP 403");
    }
    // A loopback port nothing listens on.
    int closed;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    try (KubernetesClient unreachable =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(ns.client().getConfiguration())
                    .withMasterUrl("https://127.0.0.1:" + closed)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      Run run = status(unreachable, "-n", ns.name());
      assertThat(run.code()).isEqualTo(ExitCode.API_ERROR);
      assertThat(run.err()).contains("cannot reach the API server at https://127.0.0.1:" + closed);
    }
  }

  // --- fixtures: Repositories with status written as the operator writes it ---

  private static Run status(KubernetesClient client, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new StatusCommand(
                client,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(List.of(args));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void ready(KubernetesClient client, String namespace, String name, String target) {
    write(
        client,
        create(client, namespace, name, target),
        status -> {
          set(status, "RepositoryReady", "True", "Connected", "connected to the repository");
          set(status, "ServerReady", "True", "Serving", "the server answers");
          set(status, "UsersReady", "True", "AllRegistered", "2 of 2 users registered");
          set(status, "MaintenanceHealthy", "True", "Succeeded", "last full run succeeded");
          status.setServer(server(namespace, target));
          status.setUsers(UsersStatus.of(2, 2, List.of()));
          MaintenanceStatus maintenance = maintenance(name);
          maintenance.setLastFull(
              new MaintenanceRunStatus(
                  "2026-11-30T03:00:00Z", "2026-11-30T03:00:41Z", "Succeeded", null));
          status.setMaintenance(maintenance);
        });
  }

  private static void broken(
      KubernetesClient client, String namespace, String name, String target) {
    write(
        client,
        create(client, namespace, name, target),
        status -> {
          set(status, "RepositoryReady", "False", "SecretNotFound", LONG_MESSAGE);
          set(status, "ServerReady", "Unknown", "WaitingForRepository", "waiting");
        });
  }

  private static void degraded(
      KubernetesClient client, String namespace, String name, String target) {
    write(
        client,
        create(client, namespace, name, target),
        status -> {
          set(status, "RepositoryReady", "True", "Connected", "connected to the repository");
          set(status, "ServerReady", "True", "Serving", "the server answers");
          set(
              status,
              "UsersReady",
              "False",
              "SomeUsersFailed",
              "1 of 2 users failed;\n see status.users.failed");
          status.setServer(server(namespace, target));
          status.setUsers(
              UsersStatus.of(
                  2,
                  1,
                  List.of(
                      new FailedUser(
                          "mysql@shop.mysql", "InvalidAccessSecret", "key password is empty"))));
          MaintenanceStatus maintenance = maintenance(name);
          maintenance.setLastFull(
              new MaintenanceRunStatus(
                  "2026-11-30T03:00:00Z",
                  "2026-11-30T03:00:41Z",
                  "Failed",
                  "blob gc: storage timeout"));
          status.setMaintenance(maintenance);
        });
  }

  private static Repository create(
      KubernetesClient client, String namespace, String name, String target) {
    return client
        .resource(io.kanister.kopia.operator.Repositories.repository(namespace, name, target))
        .create();
  }

  private static void write(
      KubernetesClient client,
      Repository repository,
      java.util.function.Consumer<RepositoryStatus> change) {
    new StatusWriter(client, new SimpleMeterRegistry())
        .update(
            repository,
            r -> {
              RepositoryStatus status =
                  r.getStatus() == null ? new RepositoryStatus() : r.getStatus();
              change.accept(status);
              status.setObservedGeneration(r.getMetadata().getGeneration());
              r.setStatus(status);
            });
  }

  private static void set(
      RepositoryStatus status, String type, String value, String reason, String message) {
    Conditions.set(
        status.getConditions(), new Condition(type, value, reason, message), Instant.now());
  }

  private static ServerStatus server(String namespace, String target) {
    return new ServerStatus(
        "repo-" + target, "https://repo-" + target + "." + namespace + ".svc:51515", FINGERPRINT);
  }

  private static MaintenanceStatus maintenance(String name) {
    MaintenanceStatus maintenance = new MaintenanceStatus();
    maintenance.setOwner(name + "@kanister-maintenance");
    maintenance.setOwnedByOperator(true);
    maintenance.setLastQuick(
        new MaintenanceRunStatus(
            "2026-11-30T10:00:00Z", "2026-11-30T10:00:02Z", "Succeeded", null));
    maintenance.setNextQuick("2026-11-30T11:00:00Z");
    maintenance.setNextFull("2026-12-01T03:00:00Z");
    return maintenance;
  }

  private static String rowOf(String namespace, String name) {
    return "(?m)^"
        + java.util.regex.Pattern.quote(namespace)
        + " +"
        + java.util.regex.Pattern.quote(name)
        + " ";
  }
}
