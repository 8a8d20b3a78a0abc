package io.kanister.controller.apply;

/** What {@link OwnedObjectApplier#apply} did to reach the desired state. */
public enum ApplyOutcome {
  UNCHANGED,
  CREATED,
  PATCHED
}
