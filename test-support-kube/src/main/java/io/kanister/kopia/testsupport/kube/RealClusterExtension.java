package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link LocalCluster} and {@link TestNamespace}; see {@link RealCluster}. */
public final class RealClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RealClusterExtension.class);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalCluster.class || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalCluster cluster = cluster(context);
    if (parameter.getParameter().getType() == LocalCluster.class) {
      return cluster;
    }
    return classContext(context)
        .getStore(NS)
        .getOrComputeIfAbsent(
            "namespace",
            key -> new ClosingNamespace(create(cluster, context)),
            ClosingNamespace.class)
        .namespace();
  }

  /** One cluster per test JVM, closed when the root context closes (the end of the run). */
  public static LocalCluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(
            "cluster", key -> new ClosingCluster(LocalCluster.start()), ClosingCluster.class)
        .cluster();
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static TestNamespace create(LocalCluster cluster, ExtensionContext context) {
    String prefix =
        context
            .getRequiredTestClass()
            .getSimpleName()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]", "");
    String name =
        prefix.substring(0, Math.min(prefix.length(), 40)) + "-" + NAMESPACES.incrementAndGet();
    var client = cluster.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    // Pod cgroups are not counted against the session's memory: every test pod gets a limit.
    client
        .limitRanges()
        .inNamespace(name)
        .resource(
            new LimitRangeBuilder()
                .withNewMetadata()
                .withName("memory-limits")
                .endMetadata()
                .withNewSpec()
                .addNewLimit()
                .withType("Container")
                .withDefault(Map.of("memory", new Quantity("128Mi")))
                .withDefaultRequest(Map.of("memory", new Quantity("16Mi")))
                .withMax(Map.of("memory", new Quantity("1Gi")))
                .endLimit()
                .endSpec()
                .build())
        .create();
    // Pods are refused until the ServiceAccount controller has made the namespace's "default".
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
    return new TestNamespace(name, client, cluster.controlPlane());
  }

  private record ClosingCluster(LocalCluster cluster)
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
      // The namespace controller deletes its pods; the next class does not wait for it.
      namespace.client().namespaces().withName(namespace.name()).delete();
    }
  }
}
