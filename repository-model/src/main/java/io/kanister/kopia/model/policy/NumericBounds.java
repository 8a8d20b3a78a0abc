package io.kanister.kopia.model.policy;

/**
 * The largest values the CRD admits, so that nothing the API server stores can overflow the Java
 * types the operator reads it into (an overflow there would stop the informer, not only one
 * Repository) or be refused by Kopia later.
 */
public final class NumericBounds {
  /** Kopia parses counts with {@code strconv.ParseInt(s, 10, 32)}: the same range as Java int. */
  public static final int INT32_MAX = Integer.MAX_VALUE;

  /**
   * Sizes (and generations) are int64 for Kopia and Long here, but the schema's {@code maximum} is
   * a float64, which cannot hold {@code 2^63 - 1}: it would round up to {@code 2^63}, one past
   * Long. {@code 2^62} bytes (4 EiB) is exact as a float64 and leaves every accepted value inside
   * Long.
   */
  public static final long INT64_EXACT_MAX = 1L << 62;

  private NumericBounds() {}
}
