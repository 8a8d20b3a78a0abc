package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.model.RepositoryScope;
import io.kanister.kopia.model.repository.LocationSpec;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryConditionTypes;
import io.kanister.kopia.model.repository.RepositorySpec;
import io.kanister.kopia.model.repository.ServerSpec;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.testsupport.TempFolders;
import io.kanister.kopia.testsupport.ToolBinary;
import io.kanister.kopia.testsupport.kube.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The run command without a cluster: a local control plane from the cached binaries, the CRD, a
 * sample filesystem Repository, the operator, and its Kopia server run from the Deployment's pod
 * template. Prints the Repository's conditions as they change; once the server serves, registers a
 * demo user, writes its client files and prints the commands that take and restore a snapshot
 * through the server ({@link DemoClient}). Ctrl-C stops everything.
 */
public final class LocalDemo {
  private static final String NAMESPACE = "kanister";
  private static final String NAME = "repository-demo";

  private static final Duration CLEANUP_BOUND = Duration.ofSeconds(15);

  private LocalDemo() {}

  public static void main(String[] args) throws Exception {
    // First of all, so that a SIGTERM or Ctrl-C (SIGINT) at any moment, even while the control
    // plane starts, stops every child: the JVM exits as soon as its shutdown hooks return.
    quietLogsUnlessAsked();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stopChildren(stop, cleanedUp), "demo-shutdown"));
    try {
      run(stop);
    } finally {
      cleanedUp.countDown();
    }
  }

  /** Lets {@link #run} close everything in order, then stops whatever child is still left. */
  private static void stopChildren(CountDownLatch stop, CountDownLatch cleanedUp) {
    stop.countDown();
    try {
      if (!cleanedUp.await(CLEANUP_BOUND.toSeconds(), TimeUnit.SECONDS)) {
        System.out.println("cleanup took longer than " + CLEANUP_BOUND + "; stopping children");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Only this JVM's own descendants: etcd, kube-apiserver, Kopia servers, kopia commands.
    List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
    children.forEach(ProcessHandle::destroy);
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
  }

  private static void run(CountDownLatch stop) throws Exception {
    Path root = Files.createTempDirectory("kopia-operator-demo-");
    long start = System.nanoTime();
    System.out.println("starting local control plane (etcd + kube-apiserver) ...");
    try (LocalControlPlane cluster = LocalControlPlane.start()) {
      System.out.printf(
          "control plane %s ready in %.1fs%n",
          cluster.version(), (System.nanoTime() - start) / 1e9);
      KubernetesClient client = cluster.adminClient();
      Path kubeconfig = cluster.writeKubeconfig(root.resolve("kubeconfig"));
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      LocalOperator.installCrd(client);
      System.out.println("installed CRD " + Repository.CRD_NAME);
      applySample(client, root);
      System.out.println(
          "applied sample: Secrets "
              + NAMESPACE
              + "/repository-demo-location (filesystem at "
              + root.resolve("repository")
              + "); Repository "
              + NAMESPACE
              + "/"
              + NAME);
      Path kopia = ToolBinary.KOPIA.require();
      try (LocalOperator operator =
          LocalOperator.start(
              client,
              LocalOperator.options(
                  NAMESPACE,
                  RepositoryScope.NAMESPACE,
                  kopia,
                  root.resolve("operator"),
                  Duration.ofMinutes(1)),
              root.resolve("local"))) {
        System.out.println(
            "operator running (scope=namespace); kubectl works with KUBECONFIG=" + kubeconfig);
        System.out.println("press Ctrl-C to stop");
        String last = "";
        boolean clientReady = false;
        while (!stop.await(500, TimeUnit.MILLISECONDS)) {
          Repository repository =
              client.resources(Repository.class).inNamespace(NAMESPACE).withName(NAME).get();
          String now = describe(repository);
          if (!now.equals(last)) {
            System.out.printf("%-16s %s  %.1fs%n", NAME, now, (System.nanoTime() - start) / 1e9);
            last = now;
          }
          if (!clientReady && serving(repository)) {
            clientReady = true;
            try {
              DemoClient.prepare(
                  client, NAMESPACE, NAME, operator.endpoints(), kopia, root, System.out, stop);
              System.out.printf("client ready in %.1fs%n", (System.nanoTime() - start) / 1e9);
            } catch (Exception e) {
              System.out.println("could not prepare the demo client: " + e.getMessage());
            }
          }
        }
      }
    } finally {
      TempFolders.deleteRecursively(root);
    }
  }

  /**
   * The demo prints its own few lines (the README shows them); the operator's log joins them only
   * when asked, e.g. {@code LOG_LEVEL=INFO scripts/run.sh}. Set before logback starts.
   */
  private static void quietLogsUnlessAsked() {
    if (System.getenv("LOG_LEVEL") == null && System.getProperty("LOG_LEVEL") == null) {
      System.setProperty("LOG_LEVEL", "WARN");
    }
    if (System.getenv("LOG_LIBRARY_LEVEL") == null
        && System.getProperty("LOG_LIBRARY_LEVEL") == null) {
      System.setProperty("LOG_LIBRARY_LEVEL", "WARN");
    }
  }

  private static void applySample(KubernetesClient client, Path root) throws Exception {
    Path repository = Files.createDirectories(root.resolve("repository"));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("repository-demo-location")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "type",
                        "filesystem",
                        "path",
                        repository.toString(),
                        "repo-password",
                        "demo-password-change-me"))
                .build())
        .create();
    // No TLS Secret: the operator issues the server's certificate (docs/tls.md).
    Repository demo = new Repository();
    demo.getMetadata().setName(NAME);
    demo.getMetadata().setNamespace(NAMESPACE);
    RepositorySpec spec = new RepositorySpec();
    spec.setTargetNamespace("demo");
    LocationSpec location = new LocationSpec();
    location.setSecretName("repository-demo-location");
    spec.setLocation(location);
    ServerSpec server = new ServerSpec();
    spec.setServer(server);
    demo.setSpec(spec);
    client.resource(demo).create();
  }

  private static boolean serving(Repository repository) {
    return repository != null
        && repository.getStatus() != null
        && repository
            .getStatus()
            .condition(RepositoryConditionTypes.SERVER_READY)
            .map(c -> Condition.TRUE.equals(c.getStatus()))
            .orElse(false);
  }

  private static String describe(Repository repository) {
    if (repository == null || repository.getStatus() == null) {
      return "(no status yet)";
    }
    StringBuilder out = new StringBuilder();
    for (Condition c : repository.getStatus().getConditions()) {
      out.append(c.getType())
          .append('=')
          .append(c.getStatus())
          .append(" (")
          .append(c.getReason())
          .append(")  ");
    }
    return out.toString().strip();
  }
}
