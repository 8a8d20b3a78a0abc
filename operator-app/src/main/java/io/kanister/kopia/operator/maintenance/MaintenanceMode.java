package io.kanister.kopia.operator.maintenance;

/** Kopia's two kinds of maintenance run. */
public enum MaintenanceMode {
  /** Index compaction and small cleanups; cheap, about hourly. */
  QUICK("quick"),
  /** Also garbage-collects contents no snapshot uses and deletes their blobs; about daily. */
  FULL("full");

  private final String label;

  MaintenanceMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
