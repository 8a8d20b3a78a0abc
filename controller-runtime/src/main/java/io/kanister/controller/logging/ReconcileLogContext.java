package io.kanister.controller.logging;

import io.kanister.controller.reconcile.Request;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Puts the reconcile's identity in the SLF4J MDC for every log line of one reconcile: {@code
 * reconcileId} (unique per run, to tell runs of one object apart), {@code resource} as {@code
 * Kind(namespace/name)} and {@code controller}.
 */
public final class ReconcileLogContext implements AutoCloseable {
  public static final String RECONCILE_ID = "reconcileId";
  public static final String RESOURCE = "resource";
  public static final String CONTROLLER = "controller";

  private final String reconcileId;
  private final String resource;

  private ReconcileLogContext(String controller, String kind, Request request) {
    this.reconcileId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    this.resource = kind + "(" + request + ")";
    MDC.put(RECONCILE_ID, reconcileId);
    MDC.put(RESOURCE, resource);
    MDC.put(CONTROLLER, controller);
  }

  public static ReconcileLogContext open(String controller, String kind, Request request) {
    return new ReconcileLogContext(controller, kind, request);
  }

  public String reconcileId() {
    return reconcileId;
  }

  /** {@code Kind(namespace/name)}. */
  public String resource() {
    return resource;
  }

  @Override
  public void close() {
    MDC.remove(RECONCILE_ID);
    MDC.remove(RESOURCE);
    MDC.remove(CONTROLLER);
  }
}
