package io.kanister.kopia.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kanister.kopia.testsupport.KopiaSandbox;
import io.kanister.kopia.testsupport.RealKopia;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A conflict storm on the objects the operator owns, with the whole operator running: another
 * client keeps changing the server's config Secret (its data), Deployment (replicas, a label the
 * operator sets, a container argument) and Service (a label) for a few seconds. The operator must
 * bring each back, then stop writing (no loop: object versions and kopia quiet over two resyncs),
 * change the pod template (restart the server) no more often than the storm changed it, end with
 * the template it had before, and the invariants must hold.
 */
@RealKopia
@RealKubernetes
@Tag("battery")
class OwnedObjectsStormIT {
  private static final String APP = "owned-storm";
  private static final String SERVER = "repo-" + APP;
  private static final String PASSWORD = "owned-storm-repository-password";
  private static final Duration STORM = Duration.ofSeconds(8);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void editedOwnedObjectsAreBroughtBackWithoutALoop(KopiaSandbox sandbox, TestNamespace ns)
      throws Exception {
    KubernetesClient client = ns.client();
    io.kanister.kopia.operator.webhook.RepositoryCrdInstall.shipped(client);
    String namespace = ns.name();
    Path storage = sandbox.newDir("storage");
    try (RepositoryInvariants.OperatorLog log = RepositoryInvariants.OperatorLog.capture();
        InJvmOperator operator =
            new InJvmOperator(
                client,
                client,
                namespace,
                sandbox.binary(),
                sandbox.newDir("work"),
                Duration.ofSeconds(3))) {
      FaultFixtures.repository(client, namespace, APP, storage, PASSWORD);
      InJvmOperator.millisUntil(() -> operator.readyAtCurrentGeneration(APP), PATIENCE);
      InJvmOperator.millisUntil(() -> deployment(client, namespace) != null, PATIENCE);
      String template = template(deployment(client, namespace));
      String serviceSpec = Serialization.asJson(service(client, namespace).getSpec());
      Map<String, String> configData = configSecret(client, namespace).getData();
      String nameLabel =
          deployment(client, namespace).getMetadata().getLabels().get("app.kubernetes.io/name");
      RepositoryInvariants.Storage files = RepositoryInvariants.filesystem(storage);
      RepositoryInvariants.Baseline before =
          new RepositoryInvariants.Baseline(
              operator.get(APP).getStatus().getRepository().getUniqueId(),
              files.formatBlob(),
              files.blobs());

      // Every write to the Deployment, as the API server reports it, in order.
      List<Deployment> deploymentWrites = new CopyOnWriteArrayList<>();
      Set<String> stormVersions = ConcurrentHashMap.newKeySet();
      Watch watch =
          client
              .apps()
              .deployments()
              .inNamespace(namespace)
              .withName(SERVER)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Deployment d) {
                      if (action == Action.MODIFIED) {
                        deploymentWrites.add(d);
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
      AtomicBoolean storming = new AtomicBoolean(true);
      AtomicInteger stormEdits = new AtomicInteger();
      AtomicInteger stormTemplateEdits = new AtomicInteger();
      int kopiaMark = operator.kopia.mark();
      List<Consumer<Integer>> edits = new ArrayList<>();
      edits.add(
          i ->
              stormVersions.add(
                  editDeployment(client, namespace, d -> d.getSpec().setReplicas(0))));
      edits.add(
          i ->
              stormVersions.add(
                  editDeployment(
                      client,
                      namespace,
                      d ->
                          d.getMetadata()
                              .getLabels()
                              .put("app.kubernetes.io/name", "storm-" + i))));
      edits.add(
          i -> {
            stormVersions.add(
                editDeployment(
                    client,
                    namespace,
                    d ->
                        d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getArgs()
                            .add("--storm-" + i)));
            stormTemplateEdits.incrementAndGet();
          });
      edits.add(
          i ->
              client
                  .services()
                  .inNamespace(namespace)
                  .withName(SERVER)
                  .edit(
                      s -> {
                        s.getMetadata().getLabels().put("app.kubernetes.io/name", "storm-" + i);
                        return s;
                      }));
      edits.add(
          i ->
              client
                  .secrets()
                  .inNamespace(namespace)
                  .withName(SERVER + "-config")
                  .edit(
                      s -> {
                        Map<String, String> data = new HashMap<>(s.getData());
                        String key = data.keySet().iterator().next();
                        data.put(
                            key, Base64.getEncoder().encodeToString(("storm " + i).getBytes()));
                        s.setData(data);
                        return s;
                      }));
      Thread storm =
          new Thread(
              () -> {
                int i = 0;
                while (storming.get()) {
                  try {
                    edits.get(i % edits.size()).accept(i);
                    stormEdits.incrementAndGet();
                    i++;
                    Thread.sleep(40);
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    i++; // a conflict with the operator's own write: go on with the next edit
                  }
                }
              },
              "owned-objects-storm");
      storm.start();
      Thread.sleep(STORM.toMillis());
      storming.set(false);
      storm.join();
      long stormEnded = System.nanoTime();

      long converged =
          InJvmOperator.millisUntil(
              () -> {
                Deployment d = deployment(client, namespace);
                return template(d).equals(template)
                    && Integer.valueOf(1).equals(d.getSpec().getReplicas())
                    && nameLabel.equals(d.getMetadata().getLabels().get("app.kubernetes.io/name"))
                    && nameLabel.equals(
                        service(client, namespace)
                            .getMetadata()
                            .getLabels()
                            .get("app.kubernetes.io/name"))
                    && Serialization.asJson(service(client, namespace).getSpec())
                        .equals(serviceSpec)
                    && configData.equals(configSecret(client, namespace).getData());
              },
              PATIENCE);
      long convergedAfterStorm = Duration.ofNanos(System.nanoTime() - stormEnded).toMillis();

      // No loop: over two resyncs nothing owned is written again and kopia writes nothing.
      String versions = versions(client, namespace);
      List<String> quiet = operator.steadyVerbs(Duration.ofSeconds(7));
      assertThat(versions(client, namespace))
          .as("owned objects written at rest")
          .isEqualTo(versions);
      watch.close();

      int operatorWrites = 0;
      int templateChanges = 0;
      String previous = template;
      for (Deployment d : deploymentWrites) {
        String now = template(d);
        boolean byStorm = stormVersions.contains(d.getMetadata().getResourceVersion());
        if (!byStorm) {
          operatorWrites++;
          if (!now.equals(previous)) {
            templateChanges++;
          }
        }
        previous = now;
      }
      System.out.printf(
          "[figures] owned-objects storm: %d edits in %d s (%d of the pod template); the operator"
              + " wrote the Deployment %d times, changed its pod template (a server restart) %d"
              + " times; all three objects back %d ms after the storm ended (%d ms from its"
              + " last check); %d kopia verbs during the storm, then none written at rest%n",
          stormEdits.get(),
          STORM.toSeconds(),
          stormTemplateEdits.get(),
          operatorWrites,
          templateChanges,
          convergedAfterStorm,
          converged,
          operator.kopia.since(kopiaMark).size());
      assertThat(stormEdits.get()).isGreaterThan(20);
      assertThat(templateChanges)
          .as("pod template changes by the operator vs the storm's")
          .isBetween(1, stormTemplateEdits.get());
      assertThat(template(deployment(client, namespace))).isEqualTo(template);
      RepositoryInvariants.check(
          "owned-objects storm",
          () -> operator.get(APP),
          () -> operator.events(APP),
          () -> quiet,
          files,
          before,
          List.of(PASSWORD));
      RepositoryInvariants.checkLog("owned-objects storm", log, List.of(PASSWORD));
    }
  }

  private static String editDeployment(
      KubernetesClient client, String namespace, Consumer<Deployment> change) {
    return client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(SERVER)
        .edit(
            d -> {
              change.accept(d);
              return d;
            })
        .getMetadata()
        .getResourceVersion();
  }

  private static String versions(KubernetesClient client, String namespace) {
    return List.<HasMetadata>of(
            deployment(client, namespace),
            service(client, namespace),
            configSecret(client, namespace))
        .stream()
        .map(o -> o.getKind() + "@" + o.getMetadata().getResourceVersion())
        .toList()
        .toString();
  }

  private static String template(Deployment deployment) {
    return Serialization.asJson(deployment.getSpec().getTemplate());
  }

  private static Deployment deployment(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).withName(SERVER).get();
  }

  private static Service service(KubernetesClient client, String namespace) {
    return client.services().inNamespace(namespace).withName(SERVER).get();
  }

  private static Secret configSecret(KubernetesClient client, String namespace) {
    return client.secrets().inNamespace(namespace).withName(SERVER + "-config").get();
  }
}
