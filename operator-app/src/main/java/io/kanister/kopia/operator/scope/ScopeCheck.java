package io.kanister.kopia.operator.scope;

/** What the start-up check found and did when it let the operator start. */
public enum ScopeCheck {
  /** No mode was recorded yet; the flag's mode is now. */
  RECORDED,
  /** The recorded mode is the flag's mode. */
  UNCHANGED,
  /** Another mode was recorded but no Repository exists, so the flag's mode replaced it. */
  RE_RECORDED
}
