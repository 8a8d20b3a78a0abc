package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * CoreDNS as a pod behind the cluster DNS Service, as in a real cluster (docs/design/decisions.md).
 * It answers only for {@code cluster.local}: with no upstream, no query ever leaves the node.
 */
final class ClusterDns {
  private ClusterDns() {}

  static void install(KubernetesClient client, String image) {
    String objects =
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: coredns, namespace: kube-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: "kko:coredns"}
        rules:
        - apiGroups: [""]
          resources: [endpoints, services, pods, namespaces]
          verbs: [list, watch]
        - apiGroups: [discovery.k8s.io]
          resources: [endpointslices]
          verbs: [list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: "kko:coredns"}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "kko:coredns"}
        subjects: [{kind: ServiceAccount, name: coredns, namespace: kube-system}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: coredns, namespace: kube-system}
        data:
          Corefile: |
            .:1053 {
                errors
                ready :8181
                kubernetes cluster.local in-addr.arpa ip6.arpa {
                    pods insecure
                }
                cache 30
            }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
        spec:
          replicas: 1
          selector: {matchLabels: {k8s-app: kube-dns}}
          template:
            metadata: {labels: {k8s-app: kube-dns}}
            spec:
              serviceAccountName: coredns
              dnsPolicy: Default
              containers:
              - name: coredns
                image: %s
                imagePullPolicy: Never
                args: [-conf, /etc/coredns/Corefile]
                # Port 1053: a non-root process needs no capability for it.
                securityContext: {runAsUser: 65532, runAsNonRoot: true, readOnlyRootFilesystem: true}
                ports: [{containerPort: 1053, protocol: UDP}, {containerPort: 1053, protocol: TCP}]
                readinessProbe: {httpGet: {path: /ready, port: 8181}, periodSeconds: 1}
                resources: {requests: {memory: 32Mi}, limits: {memory: 96Mi}}
                volumeMounts: [{name: config, mountPath: /etc/coredns}]
              volumes: [{name: config, configMap: {name: coredns}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
        spec:
          clusterIP: %s
          selector: {k8s-app: kube-dns}
          ports:
          - {name: dns, port: 53, targetPort: 1053, protocol: UDP}
          - {name: dns-tcp, port: 53, targetPort: 1053, protocol: TCP}
        """
            .formatted(image, NodeConfigs.CLUSTER_DNS_IP);
    client
        .load(new ByteArrayInputStream(objects.getBytes(StandardCharsets.UTF_8)))
        .forceConflicts()
        .serverSideApply();
  }

  static void awaitReady(KubernetesClient client, Duration timeout) {
    client
        .apps()
        .deployments()
        .inNamespace("kube-system")
        .withName("coredns")
        .waitUntilCondition(
            d ->
                d != null
                    && d.getStatus() != null
                    && d.getStatus().getAvailableReplicas() != null
                    && d.getStatus().getAvailableReplicas() >= 1,
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }
}
