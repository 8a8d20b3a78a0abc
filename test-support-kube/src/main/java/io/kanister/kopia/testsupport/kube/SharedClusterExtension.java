package io.kanister.kopia.testsupport.kube;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves one shared cluster of type {@code C} per test JVM (started on first use, closed when the
 * root context closes) and a {@link TestNamespace} in it, deleted when its context closes.
 */
abstract class SharedClusterExtension<C extends AutoCloseable> implements ParameterResolver {
  private final Class<C> clusterType;

  SharedClusterExtension(Class<C> clusterType) {
    this.clusterType = clusterType;
  }

  /** Starts the cluster; called once per test JVM. */
  abstract C start();

  /** Creates a fresh namespace for the context that asked for one. */
  abstract TestNamespace createNamespace(C cluster, ExtensionContext context);

  /** The context whose lifetime a namespace shares: a test method's, or its class's. */
  abstract ExtensionContext namespaceOwner(ExtensionContext context);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == clusterType || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    C cluster = cluster(context);
    if (parameter.getParameter().getType() == clusterType) {
      return cluster;
    }
    return store(namespaceOwner(context))
        .getOrComputeIfAbsent(
            "namespace",
            key -> new Closing<>(createNamespace(cluster, context), SharedClusterExtension::delete),
            Closing.class)
        .value();
  }

  final C cluster(ExtensionContext context) {
    return clusterType.cast(
        store(context.getRoot())
            .getOrComputeIfAbsent(
                "cluster", key -> new Closing<>(start(), AutoCloseable::close), Closing.class)
            .value());
  }

  private ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(ExtensionContext.Namespace.create(getClass()));
  }

  private static void delete(TestNamespace namespace) {
    // The next test does not wait for the namespace to go; its name is never reused.
    namespace.client().namespaces().withName(namespace.name()).delete();
  }

  /** What a value needs when its store closes. */
  interface Closer<T> {
    void close(T value) throws Exception;
  }

  /**
   * A stored value closed with its store. Both interfaces: JUnit 5.13 warns about a
   * CloseableResource that is not AutoCloseable.
   */
  record Closing<T>(T value, Closer<T> closer)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() throws Exception {
      closer.close(value);
    }
  }
}
