package io.kanister.kopia.model.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kanister.kopia.core.policy.SplitterAlgorithm;

/**
 * The splitters a Repository may name, spelled as {@code kopia policy set --splitter} takes them.
 */
public enum PolicySplitter {
  @JsonProperty("DYNAMIC")
  DYNAMIC(SplitterAlgorithm.DYNAMIC),
  @JsonProperty("DYNAMIC-128K-BUZHASH")
  DYNAMIC_128K_BUZHASH(SplitterAlgorithm.DYNAMIC_128K_BUZHASH),
  @JsonProperty("DYNAMIC-128K-RABINKARP")
  DYNAMIC_128K_RABINKARP(SplitterAlgorithm.DYNAMIC_128K_RABINKARP),
  @JsonProperty("DYNAMIC-1M-BUZHASH")
  DYNAMIC_1M_BUZHASH(SplitterAlgorithm.DYNAMIC_1M_BUZHASH),
  @JsonProperty("DYNAMIC-1M-RABINKARP")
  DYNAMIC_1M_RABINKARP(SplitterAlgorithm.DYNAMIC_1M_RABINKARP),
  @JsonProperty("DYNAMIC-256K-BUZHASH")
  DYNAMIC_256K_BUZHASH(SplitterAlgorithm.DYNAMIC_256K_BUZHASH),
  @JsonProperty("DYNAMIC-256K-RABINKARP")
  DYNAMIC_256K_RABINKARP(SplitterAlgorithm.DYNAMIC_256K_RABINKARP),
  @JsonProperty("DYNAMIC-2M-BUZHASH")
  DYNAMIC_2M_BUZHASH(SplitterAlgorithm.DYNAMIC_2M_BUZHASH),
  @JsonProperty("DYNAMIC-2M-RABINKARP")
  DYNAMIC_2M_RABINKARP(SplitterAlgorithm.DYNAMIC_2M_RABINKARP),
  @JsonProperty("DYNAMIC-4M-BUZHASH")
  DYNAMIC_4M_BUZHASH(SplitterAlgorithm.DYNAMIC_4M_BUZHASH),
  @JsonProperty("DYNAMIC-4M-RABINKARP")
  DYNAMIC_4M_RABINKARP(SplitterAlgorithm.DYNAMIC_4M_RABINKARP),
  @JsonProperty("DYNAMIC-512K-BUZHASH")
  DYNAMIC_512K_BUZHASH(SplitterAlgorithm.DYNAMIC_512K_BUZHASH),
  @JsonProperty("DYNAMIC-512K-RABINKARP")
  DYNAMIC_512K_RABINKARP(SplitterAlgorithm.DYNAMIC_512K_RABINKARP),
  @JsonProperty("DYNAMIC-8M-BUZHASH")
  DYNAMIC_8M_BUZHASH(SplitterAlgorithm.DYNAMIC_8M_BUZHASH),
  @JsonProperty("DYNAMIC-8M-RABINKARP")
  DYNAMIC_8M_RABINKARP(SplitterAlgorithm.DYNAMIC_8M_RABINKARP),
  @JsonProperty("FIXED")
  FIXED(SplitterAlgorithm.FIXED),
  @JsonProperty("FIXED-128K")
  FIXED_128K(SplitterAlgorithm.FIXED_128K),
  @JsonProperty("FIXED-1M")
  FIXED_1M(SplitterAlgorithm.FIXED_1M),
  @JsonProperty("FIXED-256K")
  FIXED_256K(SplitterAlgorithm.FIXED_256K),
  @JsonProperty("FIXED-2M")
  FIXED_2M(SplitterAlgorithm.FIXED_2M),
  @JsonProperty("FIXED-4M")
  FIXED_4M(SplitterAlgorithm.FIXED_4M),
  @JsonProperty("FIXED-512K")
  FIXED_512K(SplitterAlgorithm.FIXED_512K),
  @JsonProperty("FIXED-8M")
  FIXED_8M(SplitterAlgorithm.FIXED_8M);

  private final SplitterAlgorithm kopia;

  PolicySplitter(SplitterAlgorithm kopia) {
    this.kopia = kopia;
  }

  public SplitterAlgorithm toKopia() {
    return kopia;
  }
}
