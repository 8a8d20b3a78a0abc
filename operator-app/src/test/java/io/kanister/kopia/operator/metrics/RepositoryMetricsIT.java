package io.kanister.kopia.operator.metrics;

import static io.kanister.kopia.operator.Repositories.repository;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanister.controller.cache.SharedInformers;
import io.kanister.kopia.model.repository.Repository;
import io.kanister.kopia.operator.webhook.RepositoryCrdInstall;
import io.kanister.kopia.testsupport.kube.RealKubernetes;
import io.kanister.kopia.testsupport.kube.TestNamespace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gauge rows follow a burst of Repositories, coalesced into few refreshes. */
@RealKubernetes
class RepositoryMetricsIT {

  @Test
  void rowsFollowABurstOfAddsAndADelete(TestNamespace ns) throws Exception {
    RepositoryCrdInstall.shipped(ns.client());
    for (int i = 0; i < 40; i++) {
      ns.client().resource(repository(ns.name(), "repo-" + i)).create();
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (SharedInformers informers = new SharedInformers(ns.client())) {
      var cache = informers.cache(Repository.class, ns.name());
      new RepositoryMetrics(cache, registry).watch();
      informers.start();
      informers.awaitSynced(Duration.ofSeconds(30));

      awaitRows(registry, 40 * 5);
      for (int i = 40; i < 60; i++) {
        ns.client().resource(repository(ns.name(), "repo-" + i)).create();
      }
      awaitRows(registry, 60 * 5);

      ns.client().resource(repository(ns.name(), "repo-0")).delete();
      awaitRows(registry, 59 * 5);
      assertThat(registry.find("kopia.repository.condition").tag("repository", "repo-0").gauges())
          .isEmpty();
      assertThat(
              registry
                  .find("kopia.repository.users")
                  .tag("repository", "repo-59")
                  .tag("state", "desired")
                  .gauges())
          .hasSize(1);
    }
  }

  private static void awaitRows(SimpleMeterRegistry registry, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (rows(registry) != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(rows(registry)).isEqualTo(expected);
  }

  private static int rows(SimpleMeterRegistry registry) {
    return registry.find("kopia.repository.condition").gauges().size();
  }
}
