package io.kanister.controller.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kanister.controller.write.OptimisticWrite;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;

/**
 * Writes the status subresource with optimistic concurrency: the write carries the resourceVersion
 * it was based on; on a 409 conflict the object is re-read and the change applied again to the
 * fresh copy. The change must therefore compute status from the object it is given, not from a
 * stale snapshot.
 */
public final class StatusWriter {
  private final KubernetesClient client;
  private final OptimisticWrite write;

  public StatusWriter(KubernetesClient client, MeterRegistry registry) {
    this.client = client;
    Counter conflicts =
        Counter.builder("controller.status.conflicts")
            .description("Status writes rejected with 409 Conflict and retried")
            .register(registry);
    this.write = new OptimisticWrite(client, conflicts::increment);
  }

  /**
   * Applies {@code change} to a copy of {@code object} and writes its status; returns the stored
   * object, or the unchanged copy when the change left the status as it was.
   */
  public <R extends HasMetadata> R update(R object, Consumer<R> change) {
    return write.apply(object, change, r -> client.resource(r).updateStatus());
  }
}
