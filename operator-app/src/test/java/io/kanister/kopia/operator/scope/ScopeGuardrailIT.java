package io.kanister.kopia.operator.scope;

import static io.kanister.kopia.operator.Repositories.repository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RealKubernetes
class ScopeGuardrailIT {
  private static final Instant FIRST = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant LATER = Instant.parse("2025-04-01T10:00:00Z");

  @Test
  void recordsTheModeOnFirstStartAndStartsAgainInIt(TestNamespace ns) {
    RepositoryCrdInstall.shipped(ns.client());

    assertThat(guardrail(ns, "operator-pod-1", FIRST).check(RepositoryScope.GLOBAL))
        .isEqualTo(ScopeCheck.RECORDED);
    assertThat(guardrail(ns, "operator-pod-2", LATER).check(RepositoryScope.GLOBAL))
        .isEqualTo(ScopeCheck.UNCHANGED);

    assertThat(recorded(ns).getData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "repositoryScope", "global",
                "recordedAt", "2025-03-01T10:00:00Z",
                "recordedBy", "operator-pod-1"));
  }

  @Test
  void refusesTheOtherModeWhileRepositoriesExist(TestNamespace ns) {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    guardrail(ns, "operator-pod-1", FIRST).check(RepositoryScope.GLOBAL);
    client.resource(repository(ns.name(), "repository-global")).create();

    assertThatThrownBy(
            () -> guardrail(ns, "operator-pod-2", LATER).check(RepositoryScope.NAMESPACE))
        .isInstanceOf(ScopeMismatchException.class)
        .satisfies(e -> System.out.println("[guardrail IT] " + e.getMessage()))
        .hasMessage(
            "refusing to start in namespace mode (--repository-scope=namespace): the Repositories"
                + " here were made in global mode (recorded in ConfigMap "
                + ns.name()
                + "/kopia-operator-scope at 2025-03-01T10:00:00Z by operator-pod-1) and 1 still"
                + " exists ("
                + ns.name()
                + "/repository-global); migration between modes is not supported. Restart with"
                + " --repository-scope=global, or delete all Repositories in "
                + ns.name()
                + " first (their backup data stays in storage) and start again; see"
                + " docs/modes.md");
    assertThat(recorded(ns).getData()).containsEntry("repositoryScope", "global");
  }

  @Test
  void namesAFewRepositoriesAndCountsTheRest(TestNamespace ns) {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    guardrail(ns, "operator-pod-1", FIRST).check(RepositoryScope.NAMESPACE);
    for (String name : new String[] {"a", "b", "c", "d", "e"}) {
      Repository repository = repository(ns.name(), name);
      repository.getSpec().setTargetNamespace("app-" + name);
      client.resource(repository).create();
    }

    assertThatThrownBy(() -> guardrail(ns, "operator-pod-2", LATER).check(RepositoryScope.GLOBAL))
        .isInstanceOf(ScopeMismatchException.class)
        .hasMessageContaining(
            "and 5 still exist ("
                + ns.name()
                + "/a, "
                + ns.name()
                + "/b, "
                + ns.name()
                + "/c and 2 more)")
        .hasMessageNotContaining("\n");
  }

  @Test
  void reRecordsTheNewModeWhenNoRepositoryExists(TestNamespace ns) {
    KubernetesClient client = ns.client();
    RepositoryCrdInstall.shipped(client);
    guardrail(ns, "operator-pod-1", FIRST).check(RepositoryScope.GLOBAL);
    client.resource(repository(ns.name(), "repository-global")).create();
    client
        .resources(Repository.class)
        .inNamespace(ns.name())
        .withName("repository-global")
        .delete();

    assertThat(guardrail(ns, "operator-pod-2", LATER).check(RepositoryScope.NAMESPACE))
        .isEqualTo(ScopeCheck.RE_RECORDED);

    assertThat(recorded(ns).getData())
        .containsEntry("repositoryScope", "namespace")
        .containsEntry("recordedAt", "2025-04-01T10:00:00Z")
        .containsEntry("recordedBy", "operator-pod-2");
    assertThat(new ScopeConfigMap(client, ns.name()).read())
        .hasValue(new ScopeRecord(RepositoryScope.NAMESPACE, LATER, "operator-pod-2"));
  }

  @Test
  void refusesAnUnreadableRecord(TestNamespace ns) {
    RepositoryCrdInstall.shipped(ns.client());
    guardrail(ns, "operator-pod-1", FIRST).check(RepositoryScope.GLOBAL);
    ns.client()
        .configMaps()
        .inNamespace(ns.name())
        .withName(ScopeConfigMap.NAME)
        .edit(
            c -> {
              c.getData().put("repositoryScope", "cluster");
              return c;
            });

    assertThatThrownBy(() -> guardrail(ns, "operator-pod-2", LATER).check(RepositoryScope.GLOBAL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ConfigMap "
                + ns.name()
                + "/kopia-operator-scope does not hold a valid mode record (repositoryScope must"
                + " be 'global' or 'namespace', recordedAt an RFC 3339 time); restore it, or"
                + " delete it to record the current mode again");
  }

  private static ScopeGuardrail guardrail(TestNamespace ns, String recordedBy, Instant now) {
    return new ScopeGuardrail(ns.client(), ns.name(), recordedBy, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static ConfigMap recorded(TestNamespace ns) {
    return ns.client().configMaps().inNamespace(ns.name()).withName(ScopeConfigMap.NAME).get();
  }
}
