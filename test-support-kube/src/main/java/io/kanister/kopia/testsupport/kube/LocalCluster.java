package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.kopia.testsupport.BackgroundProcess;
import io.kanister.kopia.testsupport.RealParts;
import io.kanister.kopia.testsupport.TestPki;
import io.kanister.kopia.testsupport.ToolBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real single-node Kubernetes cluster: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, containerd, kubelet, kube-proxy and CoreDNS, all inside a network and mount
 * namespace that {@code scripts/real-node.sh} creates (docs/testing.md, "The real cluster").
 *
 * <p>The test JVM stays in the host namespace. It reaches the API server only over host loopback (a
 * socat forwarder through a unix socket); pods reach servers on the host loopback only through
 * {@link #exposeHostPort}. One per machine: containerd and kubelet keep fixed paths.
 */
public final class LocalCluster implements AutoCloseable {
  /** The node's address, on the namespace's own loopback; pods reach the node here. */
  public static final String NODE_IP = "10.200.0.1";

  private static final int API_PORT = 6443;
  private static final AtomicBoolean RUNNING = new AtomicBoolean();

  private final Path dir;
  private final Path script;
  private final NodeImages images;
  private final MachineLock lock;
  private final NodeProcesses processes;
  private final Map<Integer, String> exposed = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private LocalControlPlane controlPlane;
  private volatile String teardownLog = "";

  private LocalCluster(Path dir, Path script, NodeImages images, MachineLock lock) {
    this.dir = dir;
    this.script = script;
    this.images = images;
    this.lock = lock;
    this.processes = new NodeProcesses(dir);
  }

  /** The state folder: {@code $KKO_NODE_DIR}, default {@code /tmp/kko-real-node}. */
  public static Path stateDir() {
    String dir = System.getenv("KKO_NODE_DIR");
    return Path.of(dir != null && !dir.isBlank() ? dir : "/tmp/kko-real-node");
  }

  /** Starts the cluster, or fails (strict) / skips naming the part that is missing. */
  public static LocalCluster start() {
    for (ToolBinary binary :
        List.of(
            ToolBinary.ETCD,
            ToolBinary.KUBE_APISERVER,
            ToolBinary.KUBE_CONTROLLER_MANAGER,
            ToolBinary.KUBE_SCHEDULER,
            ToolBinary.KUBELET,
            ToolBinary.KUBE_PROXY)) {
      binary.require();
    }
    for (String command :
        List.of("containerd", "containerd-shim-runc-v2", "runc", "ctr", "socat", "nsenter")) {
      if (onPath(command) == null) {
        throw RealParts.missing(command, "Run scripts/install-tools.sh (Debian packages)");
      }
    }
    if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
      throw RealParts.missing("CNI plugins", "Run scripts/install-tools.sh (Debian packages)");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw RealParts.missing("root", "The real node needs root to create its namespaces");
    }
    NodeImages images = NodeImages.require(NodeImages.defaultList());
    images.require("/pause:");
    images.require("/coredns:");
    if (!RUNNING.compareAndSet(false, true)) {
      throw new IllegalStateException("a LocalCluster already runs in this JVM: share it");
    }
    MachineLock lock;
    try {
      lock = MachineLock.acquire(Path.of(stateDir() + ".lock"));
    } catch (RuntimeException e) {
      RUNNING.set(false);
      throw e;
    }
    LocalCluster cluster =
        new LocalCluster(stateDir(), repoFile("scripts/real-node.sh"), images, lock);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "local-cluster-teardown"));
    try {
      cluster.boot();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void boot() {
    long started = System.nanoTime();
    script("up");
    Path socket = dir.resolve("api.sock");
    int hostPort = BackgroundProcess.freePort();
    // JVM -> host 127.0.0.1:hostPort -> unix socket -> (namespace) 127.0.0.1:6443.
    processes.startInNamespace(
        "89-api-forward-ns",
        List.of(
            "socat", "UNIX-LISTEN:" + socket + ",fork,unlink-early", "TCP:127.0.0.1:" + API_PORT));
    processes.startOnHost(
        "90-api-forward-host",
        List.of(
            "socat",
            "TCP-LISTEN:" + hostPort + ",bind=127.0.0.1,reuseaddr,fork",
            "UNIX-CONNECT:" + socket));

    Path cp = dir.resolve("control-plane");
    NodeProcesses.mkdirs(cp);
    TestPki pki = TestPki.newCa("kko-real-node-ca");
    TestPki.Issued kubeletClient =
        pki.issueClient("kube-apiserver-kubelet-client", "system:masters");
    TestPki.write(cp.resolve("kubelet-client.crt"), kubeletClient.certPem());
    TestPki.write(cp.resolve("kubelet-client.key"), kubeletClient.keyPem());
    controlPlane =
        LocalControlPlane.start(
            new LocalControlPlane.Placement(
                cp,
                pki,
                processes.nsenter(),
                false,
                2379,
                2380,
                "0.0.0.0",
                NODE_IP,
                API_PORT,
                "https://127.0.0.1:" + hostPort,
                List.of(NODE_IP, "10.96.0.1"),
                List.of(
                    "--authorization-mode=Node,RBAC",
                    "--kubelet-client-certificate=" + cp.resolve("kubelet-client.crt"),
                    "--kubelet-client-key=" + cp.resolve("kubelet-client.key"),
                    "--kubelet-preferred-address-types=InternalIP",
                    // The node's namespace has no route to the Service range (no default route,
                    // by the network rule), so the API server cannot dial a ClusterIP: it calls
                    // webhooks (the operator's) at their endpoints' pod IPs over the bridge.
                    "--enable-aggregator-routing=true"),
                process ->
                    processes.record(process, process.name().equals("etcd") ? "81-" : "80-")));
    long controlPlaneReady = System.nanoTime();

    String inside = "https://" + NODE_IP + ":" + API_PORT;
    processes.startInNamespace(
        "30-containerd",
        List.of(
            "containerd",
            "--config",
            NodeConfigs.containerd(dir, images.require("/pause:")).toString()));
    NodeConfigs.cni(dir);
    processes.startInNamespace(
        "60-kube-controller-manager",
        List.of(
            ToolBinary.KUBE_CONTROLLER_MANAGER.require().toString(),
            "--kubeconfig="
                + kubeconfig("kube-controller-manager", "system:kube-controller-manager"),
            "--bind-address=127.0.0.1",
            "--leader-elect=false",
            "--use-service-account-credentials=true",
            "--service-account-private-key-file=" + cp.resolve("sa.key"),
            "--root-ca-file=" + cp.resolve("ca.crt"),
            "--service-cluster-ip-range=" + LocalControlPlane.SERVICE_CLUSTER_IP_RANGE,
            "--v=0"));
    processes.startInNamespace(
        "61-kube-scheduler",
        List.of(
            ToolBinary.KUBE_SCHEDULER.require().toString(),
            "--kubeconfig=" + kubeconfig("kube-scheduler", "system:kube-scheduler"),
            "--bind-address=127.0.0.1",
            "--leader-elect=false",
            "--v=0"));
    awaitContainerd();
    long importStart = System.nanoTime();
    // The sandbox image first; the others import while the kubelet registers the node.
    Path pause = images.archives().get(images.require("/pause:"));
    importImage(pause);
    processes.startInNamespace(
        "10-kubelet",
        List.of(
            ToolBinary.KUBELET.require().toString(),
            "--config=" + NodeConfigs.kubelet(dir, cp.resolve("ca.crt")),
            "--kubeconfig=" + kubeconfig("kubelet", "system:node:" + NodeConfigs.NODE_NAME),
            "--root-dir=/var/lib/kubelet",
            "--cert-dir=" + dir.resolve("kubelet/pki"),
            "--hostname-override=" + NodeConfigs.NODE_NAME,
            "--node-ip=" + NODE_IP,
            "--v=0"));
    processes.startInNamespace(
        "11-kube-proxy",
        List.of(
            ToolBinary.KUBE_PROXY.require().toString(),
            "--config="
                + NodeConfigs.kubeProxy(dir, kubeconfig("kube-proxy", "system:kube-proxy"))));
    List<Path> others =
        images.archives().values().stream().distinct().filter(a -> !a.equals(pause)).toList();
    others.forEach(this::importImage);
    long imported = System.nanoTime();
    awaitNodeReady(Duration.ofSeconds(120));
    long nodeReady = System.nanoTime();
    ClusterDns.install(client(), images.require("/coredns:"));
    ClusterDns.awaitReady(client(), Duration.ofSeconds(120));
    long end = System.nanoTime();
    var info = client().nodes().withName(NodeConfigs.NODE_NAME).get().getStatus().getNodeInfo();
    RealParts.announce(
        "real node",
        NodeConfigs.NODE_NAME
            + " at "
            + NODE_IP
            + ": kubelet "
            + info.getKubeletVersion()
            + ", "
            + info.getContainerRuntimeVersion()
            + ", kernel "
            + info.getKernelVersion()
            + ", CoreDNS image "
            + images.require("/coredns:")
            + "; API server "
            + controlPlane.url());
    System.out.printf(
        "[figures] real cluster start: control plane %.1fs, image import %.1fs (%d archives),"
            + " node Ready %.1fs, CoreDNS available %.1fs, total %.1fs%n",
        seconds(controlPlaneReady - started),
        seconds(imported - importStart),
        others.size() + 1,
        seconds(nodeReady - started),
        seconds(end - nodeReady),
        seconds(end - started));
  }

  public LocalControlPlane controlPlane() {
    return controlPlane;
  }

  /** A client acting as cluster admin. */
  public KubernetesClient client() {
    return controlPlane.adminClient();
  }

  public NodeImages images() {
    return images;
  }

  /**
   * Makes a server listening on host {@code 127.0.0.1:port} (for example s3proxy in the test JVM)
   * reachable from pods, and returns the {@code host:port} they use. A socat inside the namespace
   * listens on the node IP and forwards through a unix socket to a socat on the host loopback.
   */
  public String exposeHostPort(int port) {
    return exposed.computeIfAbsent(
        port,
        p -> {
          Path socket = dir.resolve("host-" + p + ".sock");
          processes.startOnHost(
              "91-host-" + p,
              List.of(
                  "socat", "UNIX-LISTEN:" + socket + ",fork,unlink-early", "TCP:127.0.0.1:" + p));
          processes.startInNamespace(
              "92-host-" + p + "-ns",
              List.of(
                  "socat",
                  "TCP-LISTEN:" + p + ",bind=" + NODE_IP + ",reuseaddr,fork",
                  "UNIX-CONNECT:" + socket));
          awaitListening(NODE_IP, p);
          return NODE_IP + ":" + p;
        });
  }

  private void importImage(Path archive) {
    ctr("images", "import", archive.toString());
  }

  /**
   * The host PID of a running container's main process, as containerd reports it, for tests that
   * signal a container from the node side (a crash, a freeze). {@code containerId} is the pod
   * status' {@code containerID}, with or without its {@code containerd://} prefix.
   */
  public long containerPid(String containerId) {
    String id = containerId.replaceFirst("^containerd://", "");
    String tasks = ctr("tasks", "ls");
    for (String line : tasks.split("\n")) {
      String[] fields = line.trim().split("\s+");
      if (fields.length >= 3 && fields[0].equals(id) && "RUNNING".equals(fields[2])) {
        return Long.parseLong(fields[1]);
      }
    }
    throw new IllegalStateException("no running containerd task " + id + " in:\n" + tasks);
  }

  /**
   * Freezes a pod's container, as {@code ctr tasks pause} does (the cgroup freezer): its processes
   * stop, and the runtime refuses to exec into it until {@link #resumeContainer}.
   */
  public void pauseContainer(String containerId) {
    ctrTask("pause", containerId);
  }

  /** Thaws a container {@link #pauseContainer} froze. */
  public void resumeContainer(String containerId) {
    ctrTask("resume", containerId);
  }

  private void ctrTask(String verb, String containerId) {
    ctr("tasks", verb, containerId.replaceFirst("^containerd://", ""));
  }

  /** containerd's {@code ctr} in the node's namespaces, on the Kubernetes namespace k8s.io. */
  private String ctr(String... arguments) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("ctr", "--address", NodeConfigs.CONTAINERD_SOCKET, "-n", "k8s.io"));
    command.addAll(List.of(arguments));
    return runInNamespace(command);
  }

  /** Runs a command inside the node's namespaces and returns its output; fails on exit != 0. */
  public String runInNamespace(List<String> command) {
    return processes.runInNamespace(command);
  }

  private Path kubeconfig(String component, String user) {
    Path file = dir.resolve(component + "/kubeconfig");
    return controlPlane.writeKubeconfig(
        file,
        "https://" + NODE_IP + ":" + API_PORT,
        controlPlane.issueClient(
            user, user.startsWith("system:node:") ? "system:nodes" : "kko:components"));
  }

  private void awaitContainerd() {
    Path socket = dir.resolve("fixed/containerd/containerd.sock");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(socket)) {
      if (System.nanoTime() > deadline) {
        throw processes.failure("containerd", "no socket after 60s");
      }
      processes.assertAlive("containerd");
      sleep(100);
    }
  }

  private void awaitNodeReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      processes.assertAlive("kubelet");
      Node node = client().nodes().withName(NodeConfigs.NODE_NAME).get();
      if (node != null
          && node.getStatus() != null
          && node.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
        return;
      }
      sleep(200);
    }
    throw processes.failure("kubelet", "node not Ready after " + timeout.toSeconds() + "s");
  }

  private void awaitListening(String host, int port) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        runInNamespace(List.of("sh", "-c", "ss -ltn | grep -q '" + host + ":" + port + " '"));
        return;
      } catch (IllegalStateException notYet) {
        sleep(100);
      }
    }
    throw new IllegalStateException("reverse forwarder for port " + port + " did not listen");
  }

  /** Peak memory, read before teardown, as {@code [figures]} lines. */
  private void printMemoryFigures() {
    long componentsKib = 0;
    StringBuilder each = new StringBuilder();
    for (LocalProcess process : processes.all()) {
      long kib = NodeMemory.peakRssKib(process.pid());
      componentsKib += kib;
      if (kib > 20_000) {
        each.append(String.format(" %s=%dMiB", process.name(), kib / 1024));
      }
    }
    List<Long> shims = NodeMemory.shimPids(dir.resolve("fixed/containerd"));
    long shimsKib = shims.stream().mapToLong(NodeMemory::peakRssKib).sum();
    System.out.printf(
        "[figures] real cluster peak memory: components %d MiB (%s), %d shims %d MiB,"
            + " pods %d MiB (cgroup peak)%n",
        componentsKib / 1024,
        each.toString().trim(),
        shims.size(),
        shimsKib / 1024,
        NodeMemory.podsPeakBytes(NodeConfigs.CGROUP_ROOT) / (1024 * 1024));
  }

  private String script(String action) {
    return NodeProcesses.run(List.of(script.toString(), action));
  }

  /** What {@code real-node.sh down} printed, for the teardown check. */
  String teardownLog() {
    return teardownLog;
  }

  /** Tears down everything, in the order REAL-NODE.md gives, by the recorded PIDs. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (controlPlane != null) {
        printMemoryFigures();
      }
      long started = System.nanoTime();
      teardownLog = script("down");
      System.out.print(teardownLog);
      System.out.printf(
          "[figures] real cluster teardown %.1fs%n", seconds(System.nanoTime() - started));
    } finally {
      processes.all().forEach(LocalProcess::close); // already stopped; reaps them
      if (controlPlane != null) {
        controlPlane.close();
      }
      lock.close();
      RUNNING.set(false);
    }
  }

  static Path repoFile(String relative) {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(relative))) {
        return p.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + here);
  }

  private static Path onPath(String command) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(entry, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
