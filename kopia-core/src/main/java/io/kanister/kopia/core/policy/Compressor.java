package io.kanister.kopia.core.policy;

import java.util.Arrays;

/**
 * Compression algorithms accepted by {@code kopia policy set --compression/--metadata-compression}.
 */
public enum Compressor {
  NONE("none"),
  DEFLATE_BEST_COMPRESSION("deflate-best-compression"),
  DEFLATE_BEST_SPEED("deflate-best-speed"),
  DEFLATE_DEFAULT("deflate-default"),
  GZIP("gzip"),
  GZIP_BEST_COMPRESSION("gzip-best-compression"),
  GZIP_BEST_SPEED("gzip-best-speed"),
  /** Registered by Kopia as unsupported: it can neither compress nor decompress. */
  LZ4("lz4"),
  PGZIP("pgzip"),
  PGZIP_BEST_COMPRESSION("pgzip-best-compression"),
  PGZIP_BEST_SPEED("pgzip-best-speed"),
  S2_BETTER("s2-better"),
  S2_DEFAULT("s2-default"),
  S2_PARALLEL_4("s2-parallel-4"),
  S2_PARALLEL_8("s2-parallel-8"),
  ZSTD("zstd"),
  /** Deprecated by Kopia. */
  ZSTD_BEST_COMPRESSION("zstd-best-compression"),
  ZSTD_BETTER_COMPRESSION("zstd-better-compression"),
  ZSTD_FASTEST("zstd-fastest");

  private final String kopiaName;

  Compressor(String kopiaName) {
    this.kopiaName = kopiaName;
  }

  /** The name Kopia uses on the command line and in policy JSON. */
  public String kopiaName() {
    return kopiaName;
  }

  public static Compressor fromKopiaName(String name) {
    return Arrays.stream(values())
        .filter(c -> c.kopiaName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown Kopia compressor '" + name + "'"));
  }
}
