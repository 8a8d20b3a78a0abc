package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Resolves {@link LocalControlPlane} and {@link TestNamespace} (one per test method); see {@link
 * RealKubernetes}. Starting the control plane costs seconds, a namespace milliseconds.
 */
public final class RealKubernetesExtension extends SharedClusterExtension<LocalControlPlane> {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  public RealKubernetesExtension() {
    super(LocalControlPlane.class);
  }

  @Override
  LocalControlPlane start() {
    return LocalControlPlane.start();
  }

  @Override
  ExtensionContext namespaceOwner(ExtensionContext context) {
    return context;
  }

  @Override
  TestNamespace createNamespace(LocalControlPlane cluster, ExtensionContext context) {
    String name =
        "test-"
            + NAMESPACES.incrementAndGet()
            + "-"
            + Long.toString(System.nanoTime() % 100_000, 36);
    cluster
        .adminClient()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return new TestNamespace(name, cluster.adminClient(), cluster);
  }
}
