package io.kanister.kopia.model.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kanister.kopia.core.policy.Compressor;

/**
 * The compressors a Repository may name: Kopia's, less {@code lz4}, which Kopia registers but can
 * neither compress nor decompress with.
 */
public enum PolicyCompressor {
  @JsonProperty("none")
  NONE(Compressor.NONE),
  @JsonProperty("deflate-best-compression")
  DEFLATE_BEST_COMPRESSION(Compressor.DEFLATE_BEST_COMPRESSION),
  @JsonProperty("deflate-best-speed")
  DEFLATE_BEST_SPEED(Compressor.DEFLATE_BEST_SPEED),
  @JsonProperty("deflate-default")
  DEFLATE_DEFAULT(Compressor.DEFLATE_DEFAULT),
  @JsonProperty("gzip")
  GZIP(Compressor.GZIP),
  @JsonProperty("gzip-best-compression")
  GZIP_BEST_COMPRESSION(Compressor.GZIP_BEST_COMPRESSION),
  @JsonProperty("gzip-best-speed")
  GZIP_BEST_SPEED(Compressor.GZIP_BEST_SPEED),
  @JsonProperty("pgzip")
  PGZIP(Compressor.PGZIP),
  @JsonProperty("pgzip-best-compression")
  PGZIP_BEST_COMPRESSION(Compressor.PGZIP_BEST_COMPRESSION),
  @JsonProperty("pgzip-best-speed")
  PGZIP_BEST_SPEED(Compressor.PGZIP_BEST_SPEED),
  @JsonProperty("s2-better")
  S2_BETTER(Compressor.S2_BETTER),
  @JsonProperty("s2-default")
  S2_DEFAULT(Compressor.S2_DEFAULT),
  @JsonProperty("s2-parallel-4")
  S2_PARALLEL_4(Compressor.S2_PARALLEL_4),
  @JsonProperty("s2-parallel-8")
  S2_PARALLEL_8(Compressor.S2_PARALLEL_8),
  @JsonProperty("zstd")
  ZSTD(Compressor.ZSTD),
  @JsonProperty("zstd-best-compression")
  ZSTD_BEST_COMPRESSION(Compressor.ZSTD_BEST_COMPRESSION),
  @JsonProperty("zstd-better-compression")
  ZSTD_BETTER_COMPRESSION(Compressor.ZSTD_BETTER_COMPRESSION),
  @JsonProperty("zstd-fastest")
  ZSTD_FASTEST(Compressor.ZSTD_FASTEST);

  private final Compressor kopia;

  PolicyCompressor(Compressor kopia) {
    this.kopia = kopia;
  }

  public Compressor toKopia() {
    return kopia;
  }
}
