package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link LocalControlPlane} and {@link TestNamespace}; see {@link RealKubernetes}. */
public final class RealKubernetesExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RealKubernetesExtension.class);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalControlPlane.class || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalControlPlane cluster = controlPlane(context);
    if (parameter.getParameter().getType() == LocalControlPlane.class) {
      return cluster;
    }
    return context
        .getStore(NS)
        .getOrComputeIfAbsent(
            "namespace", key -> new ClosingNamespace(create(cluster)), ClosingNamespace.class)
        .namespace();
  }

  /** One control plane per test JVM: starting it costs seconds, a namespace costs milliseconds. */
  public static LocalControlPlane controlPlane(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(
            "cluster", key -> new ClosingCluster(LocalControlPlane.start()), ClosingCluster.class)
        .cluster();
  }

  private static TestNamespace create(LocalControlPlane cluster) {
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

  private record ClosingCluster(LocalControlPlane cluster)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      cluster.close();
    }
  }

  private record ClosingNamespace(TestNamespace namespace)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      // Without a controller manager the namespace stays Terminating; its name is never reused.
      namespace.client().namespaces().withName(namespace.name()).delete();
    }
  }
}
