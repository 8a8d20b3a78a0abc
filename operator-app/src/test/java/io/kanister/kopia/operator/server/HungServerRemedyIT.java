package io.kanister.kopia.operator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.operator.users.MutableClock;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The remedy against a real API server: a server that keeps not answering has its pod deleted after
 * the patience, only its own Deployment's pods, and not again before another patience.
 */
@RealKubernetes
class HungServerRemedyIT {
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  private static final Map<String, String> SELECTOR =
      Map.of("app.kubernetes.io/name", "kopia-server", "app.kubernetes.io/instance", "r");

  @Test
  void deletesTheSilentServersPodAfterThePatienceOnly(TestNamespace ns) {
    KubernetesClient client = ns.client();
    // No controller manager here: the ServiceAccount admission needs the namespace's default.
    client
        .serviceAccounts()
        .inNamespace(ns.name())
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("default")
                .endMetadata()
                .build())
        .create();
    Deployment deployment = client.resource(deployment(ns.name())).create();
    client.resource(pod(ns.name(), "repo-r-1", SELECTOR)).create();
    client
        .resource(pod(ns.name(), "other-1", Map.of("app.kubernetes.io/name", "something-else")))
        .create();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    HungServerRemedy remedy = new HungServerRemedy(client, clock, PATIENCE);

    HungServerRemedy.Action first = remedy.notAnswering("uid-r", deployment);
    clock.advance(Duration.ofMinutes(1));
    HungServerRemedy.Action waiting = remedy.notAnswering("uid-r", deployment);
    assertThat(first.restarted()).isFalse();
    assertThat(waiting).as("stable text while waiting: no status churn").isEqualTo(first);
    assertThat(waiting.note()).contains("no answer since 2026-12-01T10:00:00Z", "after 180s");
    assertThat(podNames(client, ns)).contains("repo-r-1");

    clock.advance(Duration.ofMinutes(2));
    HungServerRemedy.Action restart = remedy.notAnswering("uid-r", deployment);
    System.out.println("[figures] hung server remedy: " + restart.note());
    assertThat(restart.restarted()).isTrue();
    assertThat(restart.note()).contains("no answer for 180s", "deleted pod repo-r-1");
    assertThat(podNames(client, ns)).doesNotContain("repo-r-1").contains("other-1");

    // The replacement pod also stays silent: not restarted again before another patience.
    client.resource(pod(ns.name(), "repo-r-2", SELECTOR)).create();
    clock.advance(Duration.ofMinutes(1));
    assertThat(remedy.notAnswering("uid-r", deployment).restarted()).isFalse();
    assertThat(podNames(client, ns)).contains("repo-r-2");

    // An answer ends the silence: the next failure starts a new patience.
    remedy.answering("uid-r");
    clock.advance(Duration.ofMinutes(5));
    assertThat(remedy.notAnswering("uid-r", deployment).restarted()).isFalse();
    assertThat(podNames(client, ns)).contains("repo-r-2");
  }

  private static List<String> podNames(KubernetesClient client, TestNamespace ns) {
    return client.pods().inNamespace(ns.name()).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  private static Deployment deployment(String namespace) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName("repo-r")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(SELECTOR)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(SELECTOR)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("kopia")
        .withImage("localhost/kko/kopia-server:0.23.1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Pod pod(String namespace, String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("kopia")
        .withImage("localhost/kko/kopia-server:0.23.1")
        .endContainer()
        .endSpec()
        .build();
  }
}
