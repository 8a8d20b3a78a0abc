package io.kanister.kopia.model.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kanister.kopia.core.policy.VolumeShadowCopyMode;

/** Windows Volume Shadow Copy use, spelled as {@code --enable-volume-shadow-copy} takes it. */
public enum PolicyVolumeShadowCopy {
  @JsonProperty("never")
  NEVER(VolumeShadowCopyMode.NEVER),
  @JsonProperty("always")
  ALWAYS(VolumeShadowCopyMode.ALWAYS),
  @JsonProperty("when-available")
  WHEN_AVAILABLE(VolumeShadowCopyMode.WHEN_AVAILABLE);

  private final VolumeShadowCopyMode kopia;

  PolicyVolumeShadowCopy(VolumeShadowCopyMode kopia) {
    this.kopia = kopia;
  }

  public VolumeShadowCopyMode toKopia() {
    return kopia;
  }
}
