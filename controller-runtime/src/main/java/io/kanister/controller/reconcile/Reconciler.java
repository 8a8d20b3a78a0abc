package io.kanister.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Drives one object of type {@code R} towards its desired state. Level based and idempotent: it
 * reads the current state (typically from a cache) and must not depend on which event caused the
 * call.
 *
 * <p>Throwing retries the request with per key exponential backoff, except for {@link
 * TerminalException}, which is never retried.
 *
 * @param <R> the primary type; it binds the reconciler to its controller
 */
@FunctionalInterface
public interface Reconciler<R extends HasMetadata> {
  Result reconcile(Request request) throws Exception;
}
