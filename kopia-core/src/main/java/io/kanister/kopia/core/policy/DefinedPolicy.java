package io.kanister.kopia.core.policy;

import org.immutables.value.Value;

/** A policy manifest as {@code kopia policy list --json} reports it: what a target defines. */
@Value.Immutable
public abstract class DefinedPolicy {
  /** The manifest ID, usable as a target argument. */
  public abstract String id();

  public abstract PolicyTarget target();

  public abstract Policy policy();

  public static ImmutableDefinedPolicy.Builder builder() {
    return ImmutableDefinedPolicy.builder();
  }
}
