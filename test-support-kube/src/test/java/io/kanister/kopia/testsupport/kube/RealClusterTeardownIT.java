package io.kanister.kopia.testsupport.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Proves the teardown leaves nothing behind: no process, mount, network namespace, cgroup or fixed
 * path. It starts its own cluster, so it needs a JVM of its own (failsafe {@code reuseForks=false}
 * in this module); in a JVM where the shared cluster runs, {@link LocalCluster#start} refuses.
 */
class RealClusterTeardownIT {
  private static final List<String> FIXED_PATHS =
      List.of(
          "/run/containerd",
          "/var/lib/kubelet",
          "/var/lib/cni",
          "/var/log/pods",
          "/var/log/containers",
          "/run/xtables.lock",
          "/run/netns");

  @Test
  void teardownLeavesNoProcessMountNamespaceCgroupOrFixedPath() throws Exception {
    List<Boolean> fixedBefore = FIXED_PATHS.stream().map(p -> Files.exists(Path.of(p))).toList();
    Path dir = LocalCluster.stateDir();

    LocalCluster cluster = LocalCluster.start();
    List<Long> pids;
    String netnsInode;
    try {
      runAPod(cluster.client(), cluster.images().require("/pause:"));
      pids = recordedPids(dir);
      System.out.println("recorded PIDs before teardown: " + pids);
      netnsInode = Files.readString(dir.resolve("ns/net.inode")).trim();
      assertThat(pids)
          .as("kubelet, containerd, control plane, forwarders, shims")
          .hasSizeGreaterThan(10);
      assertThat(Files.list(Path.of("/sys/fs/cgroup/memory" + NodeConfigs.CGROUP_ROOT)))
          .isNotEmpty();
    } finally {
      cluster.close();
    }
    assertThat(cluster.teardownLog())
        .as("every process is stopped by its recorded PID, none found by namespace")
        .doesNotContain("straggler")
        .contains("node torn down");

    assertThat(stillRunning(pids)).as("recorded processes still alive").isEmpty();
    assertThat(processesInNetns(netnsInode))
        .as("processes in the node's network namespace")
        .isEmpty();
    assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
        .as("mounts under the state folder")
        .noneMatch(line -> line.contains(dir.toString()));
    assertThat(dir).doesNotExist();
    assertThat(Path.of(dir + ".lock")).as("the machine lock").doesNotExist();
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      assertThat(hierarchies.map(h -> h.resolve(NodeConfigs.CGROUP_ROOT.substring(1))))
          .as("the node's cgroups")
          .noneMatch(Files::exists);
    }
    assertThat(FIXED_PATHS.stream().map(p -> Files.exists(Path.of(p))).toList())
        .as("fixed paths %s exist as before the node ran", FIXED_PATHS)
        .isEqualTo(fixedBefore);
    Process check =
        new ProcessBuilder(LocalCluster.repoFile("scripts/real-node.sh").toString(), "check")
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor()).as("real-node.sh check: %s", output).isZero();
  }

  private static void runAPod(KubernetesClient client, String image) {
    client
        .serviceAccounts()
        .inNamespace("default")
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
    client
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("teardown-probe")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("pause")
                .withImage(image)
                .withImagePullPolicy("Never")
                .withNewResources()
                .withLimits(Map.of("memory", new Quantity("16Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .build())
        .create();
    client
        .pods()
        .inNamespace("default")
        .withName("teardown-probe")
        .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), 120, TimeUnit.SECONDS);
  }

  /** The PIDs real-node.sh will stop: its own records, containerd's inits and their shims. */
  /**
   * The recorded processes that still run, given 10 s to go. A zombie has ended: the shims are
   * reparented when containerd stops, and their new parent reaps them in its own time (once it was
   * not done when the check came right after the teardown).
   */
  private static List<Long> stillRunning(List<Long> pids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<Long> running = pids.stream().filter(RealClusterTeardownIT::runs).toList();
      if (running.isEmpty() || System.nanoTime() > deadline) {
        return running;
      }
      Thread.sleep(100);
    }
  }

  private static boolean runs(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
    } catch (IOException gone) {
      return false;
    }
  }

  private static List<Long> recordedPids(Path dir) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("pids"))) {
      for (Path file : files.toList()) {
        pids.add(Long.parseLong(Files.readString(file).trim()));
      }
    }
    pids.addAll(NodeMemory.initPids(dir.resolve("fixed/containerd")));
    pids.addAll(NodeMemory.shimPids(dir.resolve("fixed/containerd")));
    return pids;
  }

  private static List<String> processesInNetns(String inode) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          Object key = Files.getAttribute(proc.resolve("ns/net"), "unix:ino");
          if (inode.equals(String.valueOf(key))) {
            found.add(proc.getFileName().toString());
          }
        } catch (IOException | UnsupportedOperationException | SecurityException gone) {
          // exited, or not ours to read
        }
      }
    }
    return found;
  }
}
