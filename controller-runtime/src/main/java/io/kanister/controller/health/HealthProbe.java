package io.kanister.controller.health;

/** What {@code /healthz} and {@code /readyz} report. */
public interface HealthProbe {
  /** The process works: its informers are running. A failing liveness probe restarts the pod. */
  boolean isLive();

  /** The caches have synced, so reads reflect the cluster. */
  boolean isReady();
}
