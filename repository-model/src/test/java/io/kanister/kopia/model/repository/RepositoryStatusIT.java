package io.kanister.kopia.model.repository;

import static io.kanister.kopia.model.repository.RepositoryManifests.seedLike;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status subresource: written apart from the spec, without touching metadata.generation. */
@RealKubernetes
class RepositoryStatusIT {
  @BeforeAll
  static void installCrd(LocalControlPlane cluster) {
    RepositoryCrdInstaller.install(cluster.adminClient());
  }

  @Test
  void aStatusWriteDoesNotBumpTheGeneration(TestNamespace ns) {
    var repositories = ns.client().resources(Repository.class).inNamespace(ns.name());
    Repository created = repositories.resource(seedRepository("status")).create();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    created.setStatus(readyStatus(1L));
    Repository written = repositories.resource(created).updateStatus();

    assertThat(written.getMetadata().getGeneration()).isEqualTo(1L);
    Repository read = repositories.withName("status").get();
    assertThat(read.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(read.getStatus()).isEqualTo(readyStatus(1L));

    read.getSpec().getPolicy().setKeepDaily(30);
    Repository changed = repositories.resource(read).update();
    assertThat(changed.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(changed.getStatus()).as("a spec update keeps the status").isEqualTo(readyStatus(1L));
  }

  @Test
  void statusGivenOnCreateIsIgnored(TestNamespace ns) {
    var repositories = ns.client().resources(Repository.class).inNamespace(ns.name());
    Repository repository = seedRepository("ignored-status");
    repository.setStatus(readyStatus(7L));

    Repository created = repositories.resource(repository).create();

    assertThat(created.getStatus()).isNull();
  }

  @Test
  void printerColumnsShowTargetReadyServerAndUsers(TestNamespace ns) throws Exception {
    var repositories = ns.client().resources(Repository.class).inNamespace(ns.name());
    Repository created = repositories.resource(seedRepository("columns")).create();
    created.setStatus(readyStatus(1L));
    repositories.resource(created).updateStatus();

    JsonNode table = table(ns);

    List<String> columns = new ArrayList<>();
    table.get("columnDefinitions").forEach(c -> columns.add(c.get("name").asText()));
    assertThat(columns).containsExactly("Name", "Age", "Target", "Ready", "Server", "Users");
    JsonNode cells = table.get("rows").get(0).get("cells");
    assertThat(cells.get(0).asText()).isEqualTo("columns");
    assertThat(cells.get(2).asText()).isEqualTo("monitoring");
    assertThat(cells.get(3).asText()).isEqualTo("True");
    assertThat(cells.get(4).asText()).isEqualTo("Serving");
    assertThat(cells.get(5).asText()).isEqualTo("5/6");
  }

  private static JsonNode table(TestNamespace ns) throws Exception {
    HttpClient http = ns.client().getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(
                ns.client().getMasterUrl()
                    + "apis/"
                    + Repository.API_VERSION
                    + "/namespaces/"
                    + ns.name()
                    + "/"
                    + Repository.PLURAL)
            .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
            .build();
    HttpResponse<String> response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).as(response.body()).isEqualTo(200);
    return Serialization.jsonMapper().readTree(response.body());
  }

  private static Repository seedRepository(String name) {
    return Serialization.jsonMapper().convertValue(seedLike(name), Repository.class);
  }

  private static RepositoryStatus readyStatus(long generation) {
    RepositoryStatus status = new RepositoryStatus();
    status.setObservedGeneration(generation);
    status.setConditions(
        List.of(
            condition(RepositoryConditionTypes.REPOSITORY_READY, "Created", generation),
            condition(RepositoryConditionTypes.SERVER_READY, "Serving", generation)));
    status.setServer(
        new ServerStatus(
            "repo-monitoring",
            "https://repo-monitoring.kanister.svc.cluster.local:51515",
            "a".repeat(64)));
    status.setUsers(
        UsersStatus.of(
            6,
            5,
            List.of(
                new FailedUser(
                    "pgsql@monitoring.pgsql-staging",
                    "InvalidAccessSecret",
                    "Secret kanister/access, key 'pgsql-staging': has no password"))));
    return status;
  }

  private static Condition condition(String type, String reason, long generation) {
    Condition condition = new Condition(type, Condition.TRUE, reason, "all good");
    condition.setLastTransitionTime("2022-08-20T09:48:36Z");
    condition.setLastUpdateTime("2022-08-20T09:48:36Z");
    condition.setObservedGeneration(generation);
    return condition;
  }
}
