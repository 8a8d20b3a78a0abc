package io.kanister.kopia.core.policy;

import java.util.Arrays;

/** Splitter algorithms accepted by {@code kopia policy set --splitter}. */
public enum SplitterAlgorithm {
  DYNAMIC("DYNAMIC"),
  DYNAMIC_128K_BUZHASH("DYNAMIC-128K-BUZHASH"),
  DYNAMIC_128K_RABINKARP("DYNAMIC-128K-RABINKARP"),
  DYNAMIC_1M_BUZHASH("DYNAMIC-1M-BUZHASH"),
  DYNAMIC_1M_RABINKARP("DYNAMIC-1M-RABINKARP"),
  DYNAMIC_256K_BUZHASH("DYNAMIC-256K-BUZHASH"),
  DYNAMIC_256K_RABINKARP("DYNAMIC-256K-RABINKARP"),
  DYNAMIC_2M_BUZHASH("DYNAMIC-2M-BUZHASH"),
  DYNAMIC_2M_RABINKARP("DYNAMIC-2M-RABINKARP"),
  DYNAMIC_4M_BUZHASH("DYNAMIC-4M-BUZHASH"),
  DYNAMIC_4M_RABINKARP("DYNAMIC-4M-RABINKARP"),
  DYNAMIC_512K_BUZHASH("DYNAMIC-512K-BUZHASH"),
  DYNAMIC_512K_RABINKARP("DYNAMIC-512K-RABINKARP"),
  DYNAMIC_8M_BUZHASH("DYNAMIC-8M-BUZHASH"),
  DYNAMIC_8M_RABINKARP("DYNAMIC-8M-RABINKARP"),
  FIXED("FIXED"),
  FIXED_128K("FIXED-128K"),
  FIXED_1M("FIXED-1M"),
  FIXED_256K("FIXED-256K"),
  FIXED_2M("FIXED-2M"),
  FIXED_4M("FIXED-4M"),
  FIXED_512K("FIXED-512K"),
  FIXED_8M("FIXED-8M");

  private final String kopiaName;

  SplitterAlgorithm(String kopiaName) {
    this.kopiaName = kopiaName;
  }

  /** The name Kopia uses on the command line and in policy JSON. */
  public String kopiaName() {
    return kopiaName;
  }

  public static SplitterAlgorithm fromKopiaName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.kopiaName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown Kopia splitter '" + name + "'"));
  }
}
