package io.kanister.kopia.testsupport.kube;

import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Resolves {@link LocalCluster} and {@link TestNamespace} (one per test class, with memory limits
 * for its pods); see {@link RealCluster}.
 */
public final class RealClusterExtension extends SharedClusterExtension<LocalCluster> {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  public RealClusterExtension() {
    super(LocalCluster.class);
  }

  @Override
  LocalCluster start() {
    return LocalCluster.start();
  }

  @Override
  ExtensionContext namespaceOwner(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  @Override
  TestNamespace createNamespace(LocalCluster cluster, ExtensionContext context) {
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
}
