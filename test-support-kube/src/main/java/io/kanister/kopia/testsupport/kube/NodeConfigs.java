package io.kanister.kopia.testsupport.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration files of the real node's runtime, kubelet, kube-proxy and CNI. Each setting
 * that is not a default is there for a reason found on this machine kind (REAL-NODE.md); the
 * comments say which.
 */
final class NodeConfigs {
  static final String NODE_NAME = "kko-node";
  static final String POD_SUBNET = "10.244.0.0/24";
  static final String CLUSTER_DNS_IP = "10.96.0.10";
  static final String CGROUP_ROOT = "/kko-real-node";

  /** containerd's state folder inside the mount namespace; real-node.sh binds it. */
  static final String CONTAINERD_SOCKET = "/run/containerd/containerd.sock";

  private NodeConfigs() {}

  static Path containerd(Path dir, String sandboxImage) {
    return write(
        dir.resolve("containerd/config.toml"),
        """
        version = 2
        root = "%1$s/containerd/root"
        # /run/containerd is bound from the state folder, so its fixed paths stay off the host.
        state = "/run/containerd"
        disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
          "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
          "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
        [grpc]
          address = "%2$s"
        [plugins."io.containerd.internal.v1.opt"]
          path = "%1$s/containerd/opt"
        [plugins."io.containerd.grpc.v1.cri"]
          # Imported locally: nothing is ever pulled.
          sandbox_image = "%3$s"
          # Root here lacks CAP_SYS_RESOURCE: a negative oom_score_adj would fail every sandbox.
          restrict_oom_score_adj = true
          disable_apparmor = true
          disable_hugetlb_controller = true
          tolerate_missing_hugetlb_controller = true
          # Pod network namespaces are bound under the state folder, not the host's /run/netns.
          netns_mounts_under_state_dir = true
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = false
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "%1$s/cni/net.d"
        """
            .formatted(dir, CONTAINERD_SOCKET, sandboxImage));
  }

  /** A bridge with no uplink: pods reach each other and the node IP, nothing beyond. */
  static Path cni(Path dir) {
    return write(
        dir.resolve("cni/net.d/10-kko.conflist"),
        """
        {
          "cniVersion": "0.4.0",
          "name": "kko",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "kko0",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "ranges": [[{"subnet": "%s"}]],
                "routes": [{"dst": "0.0.0.0/0"}]
              }
            },
            {"type": "portmap", "capabilities": {"portMappings": true}}
          ]
        }
        """
            .formatted(POD_SUBNET));
  }

  static Path kubelet(Path dir, Path caFile) {
    return write(
        dir.resolve("kubelet/config.yaml"),
        """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        authentication:
          anonymous: {enabled: false}
          webhook: {enabled: false}
          x509: {clientCAFile: %1$s}
        # The kubelet port listens only inside the namespace; the API server has a client cert.
        authorization: {mode: AlwaysAllow}
        containerRuntimeEndpoint: unix://%2$s
        cgroupDriver: cgroupfs
        # Every pod cgroup lives below a root that real-node.sh creates and removes.
        cgroupRoot: %3$s
        cgroupsPerQOS: true
        enforceNodeAllocatable: []
        failCgroupV1: false
        failSwapOn: false
        # kubelet reads the three kernel sysctls it wants from files bound over /proc/sys.
        protectKernelDefaults: false
        makeIPTablesUtilChains: false
        registerNode: true
        clusterDomain: cluster.local
        clusterDNS: [%4$s]
        resolvConf: %5$s
        readOnlyPort: 0
        port: 10250
        maxPods: 40
        serializeImagePulls: false
        # Imported images must never be collected, and a small disk must not evict test pods.
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        evictionHard: {memory.available: "50Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
        """
            .formatted(
                caFile,
                CONTAINERD_SOCKET,
                CGROUP_ROOT,
                CLUSTER_DNS_IP,
                write(dir.resolve("kubelet/resolv.conf"), "")));
  }

  static Path kubeProxy(Path dir, Path kubeconfig) {
    return write(
        dir.resolve("kube-proxy/config.yaml"),
        """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: iptables
        hostnameOverride: %s
        clusterCIDR: %s
        clientConnection: {kubeconfig: %s}
        metricsBindAddress: 127.0.0.1:10249
        healthzBindAddress: 127.0.0.1:10256
        # Zero means "leave the conntrack sysctls alone".
        conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
        """
            .formatted(NODE_NAME, POD_SUBNET, kubeconfig));
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
