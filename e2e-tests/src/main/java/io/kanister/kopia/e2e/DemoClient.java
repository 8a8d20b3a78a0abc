package io.kanister.kopia.e2e;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.core.user.KopiaUsername;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.model.repository.RepositoryConditionTypes;
import io.kanister.kopia.model.repository.RepositoryStatus;
import io.kanister.kopia.model.status.Condition;
import io.kanister.kopia.operator.export.ClientFiles;
import io.kanister.kopia.operator.export.ConnectCommand;
import io.kanister.kopia.operator.server.ServerEndpointResolver;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo's last act: a demo user registered the normal way (an access Secret named in {@code
 * spec.server.accessSecretNames}), its client files written by {@code connect}'s own code into a
 * local folder, and the commands that take and restore a snapshot through the server, printed.
 */
final class DemoClient {
  static final String ACCESS_SECRET = "repository-demo-access";
  static final String WORKLOAD = "laptop";
  static final String USER = "demo";

  /** The printed commands start with this, so that a test can find and run them. */
  static final String COMMAND_PREFIX = "  $ ";

  private DemoClient() {}

  /**
   * @param kopia the kopia binary the commands name
   * @param root the demo's folder: client files, sample data and the restore go under it
   */
  static void prepare(
      KubernetesClient client,
      String namespace,
      String name,
      ServerEndpointResolver endpoints,
      Path kopia,
      Path root,
      PrintStream out,
      CountDownLatch stop)
      throws Exception {
    Repository repository =
        client.resources(Repository.class).inNamespace(namespace).withName(name).get();
    String targetNamespace = repository.getSpec().getTargetNamespace();
    KopiaUsername user = KopiaUsername.of(USER, targetNamespace + "." + WORKLOAD);
    register(client, namespace, name);
    awaitUsersReady(client, namespace, name, Duration.ofSeconds(60), stop);
    out.println("registered user " + user + " (Secret " + namespace + "/" + ACCESS_SECRET + ")");

    // The server listens on a loopback port here; a person outside a cluster would use the
    // local end of a `kubectl port-forward` the same way.
    URI url = URI.create(repository.getStatus().getServer().getUrl());
    String address = endpoints.resolve(url.getHost(), url.getPort());
    Path dir = root.resolve("client");
    ClientFiles files =
        new ConnectCommand(client, System.in, out, System.err)
            .connect(namespace, name, user, dir, Optional.of(address), Optional.empty());
    Path data = sampleData(root.resolve("data"));
    Path restored = root.resolve("restored");
    String kopiaCommand =
        "KOPIA_PASSWORD=\"$(cat "
            + files.passwordFile()
            + ")\" "
            + kopia
            + " --config-file="
            + files.configFile()
            + " --log-dir="
            + root.resolve("kopia-logs");
    out.println(
        "wrote "
            + files.configFile()
            + " and "
            + files.passwordFile()
            + " (kopia-operator connect "
            + name
            + " --namespace="
            + namespace
            + " --user="
            + user
            + " --to-dir="
            + dir
            + " --server-address="
            + address
            + ")");
    out.println("take a snapshot of " + data + " through the server, then restore it:");
    out.println(COMMAND_PREFIX + kopiaCommand + " snapshot create " + data);
    out.println(COMMAND_PREFIX + kopiaCommand + " snapshot restore " + data + " " + restored);
    out.println(COMMAND_PREFIX + "diff -r " + data + " " + restored + " && echo restored");
  }

  /** The access Secret, then its name in the Repository's spec: what a person would apply. */
  private static void register(KubernetesClient client, String namespace, String name) {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(ACCESS_SECRET)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(
                    Map.of(WORKLOAD, "username: " + USER + "\npassword: " + password + "\n"))
                .build())
        .create();
    client
        .resources(Repository.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            r -> {
              List<String> names = new ArrayList<>(r.getSpec().getServer().getAccessSecretNames());
              names.add(ACCESS_SECRET);
              r.getSpec().getServer().setAccessSecretNames(names);
              return r;
            });
  }

  private static void awaitUsersReady(
      KubernetesClient client, String namespace, String name, Duration bound, CountDownLatch stop)
      throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      Repository r = client.resources(Repository.class).inNamespace(namespace).withName(name).get();
      RepositoryStatus status = r.getStatus();
      if (status != null
          && status.getObservedGeneration() != null
          && status.getObservedGeneration() >= r.getMetadata().getGeneration()
          && status.getUsers() != null
          && status.getUsers().getRegistered() != null
          && status.getUsers().getRegistered() >= 1
          && status
              .condition(RepositoryConditionTypes.USERS_READY)
              .map(c -> Condition.TRUE.equals(c.getStatus()))
              .orElse(false)) {
        return;
      }
      // A Ctrl-C while waiting stops the demo at once, not after the bound.
      if (stop.await(250, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("stopped");
      }
    }
    throw new IllegalStateException(
        "the demo user was not registered within " + bound + "; see the Repository's status");
  }

  private static Path sampleData(Path data) throws Exception {
    Files.createDirectories(data.resolve("notes"));
    Files.writeString(
        data.resolve("hello.txt"), "Hello from the Kopia operator demo.\n", StandardCharsets.UTF_8);
    Files.writeString(
        data.resolve("notes/todo.md"), "- take a snapshot\n- restore it\n", StandardCharsets.UTF_8);
    byte[] binary = new byte[256 * 1024];
    new SecureRandom().nextBytes(binary);
    Files.write(data.resolve("random.bin"), binary);
    return data;
  }
}
