package io.kanister.kopia.core.policy;

import java.util.Arrays;

/** Windows Volume Shadow Copy use ({@code --enable-volume-shadow-copy}); JSON stores the code. */
public enum VolumeShadowCopyMode {
  NEVER("never", 0),
  ALWAYS("always", 1),
  WHEN_AVAILABLE("when-available", 2);

  private final String kopiaName;
  private final int jsonCode;

  VolumeShadowCopyMode(String kopiaName, int jsonCode) {
    this.kopiaName = kopiaName;
    this.jsonCode = jsonCode;
  }

  public String kopiaName() {
    return kopiaName;
  }

  public int jsonCode() {
    return jsonCode;
  }

  public static VolumeShadowCopyMode fromJsonCode(int code) {
    return Arrays.stream(values())
        .filter(m -> m.jsonCode == code)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("unknown volume shadow copy mode code " + code));
  }
}
