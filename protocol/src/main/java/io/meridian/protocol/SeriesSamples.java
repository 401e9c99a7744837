package io.meridian.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Samples of one series: parallel arrays of millisecond timestamps and values. Used both for the
 * samples of a write batch and for the samples a read returns (then sorted ascending by timestamp,
 * one value per timestamp). Arrays keep a batch compact on the wire and in the journal.
 */
public record SeriesSamples(SeriesKey key, long[] timestamps, double[] values)
    implements CborSerializable {

  public SeriesSamples {
    Objects.requireNonNull(key, "key");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          "timestamps and values differ in length: " + timestamps.length + " != " + values.length);
    }
  }

  /**
   * Prometheus' StaleNaN: a NaN with this exact bit pattern marks a series as gone (a scrape no
   * longer has it, or its target is down); PromQL stops looking back past it.
   */
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  /** The staleness marker as a value to store. */
  public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

  /** Whether {@code value} is the staleness marker (not just any NaN). */
  public static boolean isStaleMarker(double value) {
    return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
  }

  public int size() {
    return timestamps.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesSamples other
        && key.equals(other.key)
        && Arrays.equals(timestamps, other.timestamps)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * key.hashCode() + Arrays.hashCode(timestamps)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return key + " " + timestamps.length + " samples";
  }
}
